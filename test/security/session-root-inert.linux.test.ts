import { copyFileSync, chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { runCommand } from '../../sandbox-server/linux/command.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { createSessionRoot, removeSessionRoot, type SessionRoot } from '../../sandbox-server/sessions/session-root.js';
import { openLinuxEngines, type LinuxEngines } from '../../sandbox-server/sessions/linux-engine-factory.js';
import type { Engine } from '../../src/engine/engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/**
 * What a layer or a container leaves in a session — a setuid-root file, a device node — is
 * inert on the host: the session's state root is a tmpfs mounted nosuid,nodev. Containers
 * still work on it (overlayfs makes its 0/0 whiteouts there; a device is never opened).
 */
describe.skipIf(!run)('a session state root on the host (root)', () => {
  let stateDir: string;
  let root: SessionRoot;
  let engines: LinuxEngines;
  let engine: Engine;
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-inert-'));
    // The backend first: opening it sweeps what a crash left under the state dir.
    engines = await openLinuxEngines(stateDir);
    root = await createSessionRoot('inert', { stateDir, tmpfsBytes: 64 * 1024 * 1024 });
    engine = await engines.open(root.path, new FsWorkspace(root.filesDir));
  });
  afterAll(async () => {
    await engine?.dispose();
    if (engines) await removeLeftovers(engines.backend.tracker);
    if (root) await removeSessionRoot(root);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('is a tmpfs mounted nosuid and nodev', () => {
    const line = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .find((l) => l.split(' ')[4] === root.path);
    // mountinfo: field 6 holds the per-mount options.
    expect(line?.split(' ')[5]?.split(',')).toEqual(expect.arrayContaining(['nosuid', 'nodev']));
    expect(line).toMatch(/ - tmpfs /);
  });

  it('a setuid-root binary there gives an unprivileged user no root', async () => {
    const id = join(root.path, 'suid-id');
    copyFileSync('/usr/bin/id', id);
    chmodSync(id, 0o4755);
    const { stdout } = await runCommand('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', id, '-u']);
    expect(stdout.toString().trim()).toBe('65534');
  });

  it('a device node there can not be opened', async () => {
    const dev = join(root.path, 'null-dev');
    await runCommand('mknod', [dev, 'c', '1', '3']);
    expect(() => openSync(dev, 'r')).toThrow(expect.objectContaining({ code: 'EACCES' }));
  });

  it('containers on it still delete lower files: overlayfs makes its 0/0 whiteouts on a nodev upper', async () => {
    const r = await engine.exec('docker run --name wo busybox rm /bin/ls');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect((await engine.exec('docker diff wo')).stdout).toBe('C /bin\nD /bin/ls\n');
  });
});
