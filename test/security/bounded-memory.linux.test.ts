import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../sandbox-server/app.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { command, createSession, type Created } from '../sandbox/api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const MiB = 1024 * 1024;
const LOG_BYTES = 256 * 1024;

/** The server's resident memory after a full collection, so what is measured is what is held. */
function heldRss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!run)('one learner cannot make the server hold unbounded memory (root)', () => {
  let stateDir: string;
  let app: FastifyInstance;
  let learner: Created;
  let neighbour: Created;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-bounded-'));
    const { factory, backend } = await linuxEngineFactory(stateDir);
    app = await buildApp({
      siteDir: '/nonexistent',
      sandbox: { available: true, missing: [], runtime: backend.runtime.path ?? null },
      sessions: {
        stateDir,
        engineFactory: factory,
        tmpfs: true,
        limits: { maxLogBytes: LOG_BYTES },
        sweepBackend: async () => void (await removeLeftovers(backend.tracker)),
      },
    });
    learner = await createSession(app);
    neighbour = await createSession(app);
  });

  afterAll(async () => {
    await app?.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  /** The other learner's `docker run` still works. */
  async function neighbourRuns(): Promise<void> {
    const res = await command(app, neighbour, 'docker run --rm busybox echo ok');
    expect(res.json()).toMatchObject({ stdout: 'ok\n', exitCode: 0 });
  }

  it('a detached output flood keeps the last max-size bytes of log, and the server its memory', async () => {
    const before = heldRss();
    const started = await command(app, learner, 'docker run -d --name flood busybox cat /dev/zero');
    expect(started.json()).toMatchObject({ exitCode: 0 });
    // Docker's json-file would have written gigabytes by now; the log keeps LOG_BYTES.
    await sleep(3000);
    await neighbourRuns();
    const grown = heldRss() - before;
    expect(grown).toBeLessThan(80 * MiB);
    const logs = await command(app, learner, 'docker logs flood');
    const { stdout, exitCode } = logs.json<{ stdout: string; exitCode: number }>();
    expect(exitCode).toBe(0);
    expect(stdout.length).toBe(LOG_BYTES);
    expect(/^\0+$/.test(stdout)).toBe(true);
    expect((await command(app, learner, 'docker rm -f flood')).json()).toMatchObject({ exitCode: 0 });
  });
});
