import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { openLinuxEngines, type LinuxEngines } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const KiB = 1024;
const RATE = 256 * KiB;

describe.skipIf(!run)('a session’s container output is read at its pace (root, runc)', () => {
  let stateDir: string;
  let engines: LinuxEngines;
  let engine: Engine;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'layerlab-pace-'));
    engines = await openLinuxEngines(stateDir);
    engine = await engines.open(await mkdtemp(join(stateDir, 'session-')), new MemoryWorkspace(), { outputBytesPerSecond: RATE });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (engines) await removeLeftovers(engines.backend.tracker);
    await rm(stateDir, { recursive: true, force: true });
  });

  it('a writer of 1 MiB at 256 KiB/s (burst 256 KiB) is held back ~3 s by a full pipe, and all of it arrives', async () => {
    // The container notes when its writer got through; the server's reading is what holds it back.
    const started = Date.now();
    const r = await engine.exec(`docker run --rm busybox sh -c 'head -c ${1024 * KiB} /dev/zero | tr "\\0" x; echo'`);
    const took = Date.now() - started;
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(1024 * KiB + 1);
    // A lower bound only: a loaded machine makes it slower, never faster. Unpaced, this takes ~0.1 s.
    // (1 MiB − the 256 KiB burst − the 64 KiB the pipe buffers) ÷ 256 KiB/s ≈ 2.75 s.
    expect(took).toBeGreaterThanOrEqual(2500);
  }, 60_000);

  it('a flood does not take the server’s CPU: a detached `cat /dev/zero` for 2 s costs it well under a tenth of a core', async () => {
    const flood = await engine.exec('docker run -d busybox cat /dev/zero');
    expect(flood.exitCode).toBe(0);
    const before = process.cpuUsage();
    const wall = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    const used = process.cpuUsage(before);
    const share = (used.user + used.system) / 1000 / (Date.now() - wall);
    await engine.exec(`docker rm -f ${flood.stdout.trim()}`);
    // Unpaced, the server reads and decodes as fast as a core allows (~1 core on an idle machine).
    expect(share).toBeLessThan(0.1);
  }, 60_000);
});
