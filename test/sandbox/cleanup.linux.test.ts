import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { ResourceTracker, removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { cgroupDirs, cgroupPathFor } from '../../sandbox-server/linux/cgroups.js';
import { mountPoints, mountRootfs } from '../../sandbox-server/linux/mount.js';
import { linuxPaths } from '../../sandbox-server/linux/linux-backend.js';
import { scanLeftovers, startedOnOurRoot } from '../../sandbox-server/linux/leftover-scan.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** Alive = has a /proc entry that is not a zombie (a dead init waits there for whoever reaps orphans). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}
const backend = resolve('sandbox-server/linux/linux-backend.ts');

/** A server that starts a container and then dies without cleaning up (SIGKILL). */
const CRASHING_SERVER = `
import { openLinuxBackend } from ${JSON.stringify(backend)};
const [stateDir, sessionRoot] = process.argv.slice(-2);
const linux = await openLinuxBackend(stateDir);
const s = await linux.openSession(sessionRoot);
const rootfs = await s.snapshotter.prepare('c1', linux.base.diffId);
await s.runtime.create({ id: 'crash-' + process.pid, hostname: 'c', rootfs, process: { args: ['sleep', '100'], env: ['PATH=/bin'], cwd: '/', terminal: false }, limits: { pids: 16 } }, { stdout() {}, stderr() {} });
const h = await s.runtime.start('crash-' + process.pid);
console.log('running', h.pid);
setInterval(() => {}, 1000);
`;

describe.skipIf(!run)('cleanup after a crash', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'layerlab-crash-'));
  });
  afterAll(async () => {
    await removeLeftovers(new ResourceTracker(linuxPaths(stateDir).tracked));
    await rm(stateDir, { recursive: true, force: true });
  });

  /** Runs CRASHING_SERVER until its container runs, then SIGKILLs it: the init's PID and the container's id. */
  async function crashWithAContainer(sessionRoot: string): Promise<{ initPid: number; id: string }> {
    await mkdir(sessionRoot, { recursive: true });
    const server = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CRASHING_SERVER, stateDir, sessionRoot], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((res, rej) => {
      createInterface({ input: server.stdout! }).once('line', res);
      server.once('exit', (code) => rej(new Error(`server exited ${code}`)));
    });
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    return { initPid: Number(line.split(' ')[1]), id: `crash-${server.pid}` };
  }

  it('removes the container, its process, mount, cgroup and bundle that a killed server left', async () => {
    const sessionRoot = join(stateDir, 'sessions/s1');
    const { initPid, id } = await crashWithAContainer(sessionRoot);

    // The crash left a running container behind, and the journal knows all of it.
    const tracker = new ResourceTracker(linuxPaths(stateDir).tracked);
    const journal = await tracker.list();
    expect(journal.map((r) => r.kind).sort()).toEqual(['cgroup', 'container', 'dir', 'mount', 'process']);
    expect((await mountPoints()).some((m) => m.startsWith(sessionRoot))).toBe(true);
    expect(cgroupDirs(cgroupPathFor(id)).length).toBeGreaterThan(0);
    expect(alive(initPid)).toBe(true);

    const report = await removeLeftovers(tracker);
    expect(report.failed).toEqual([]);
    expect(report.removed).toHaveLength(5);
    expect(await tracker.list()).toEqual([]);
    for (let i = 0; i < 100 && alive(initPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(initPid)).toBe(false);
    expect((await mountPoints()).filter((m) => m.startsWith(stateDir))).toEqual([]);
    expect(cgroupDirs(cgroupPathFor(id))).toEqual([]);
    expect(existsSync(join(sessionRoot, 'containers/bundles', id))).toBe(false);
  });

  it('removes a container whose journal records a crash tore, by scanning what exists', async () => {
    const sessionRoot = join(stateDir, 'sessions/s2');
    const { initPid, id } = await crashWithAContainer(sessionRoot);
    const journal = linuxPaths(stateDir).tracked;
    // Every record torn mid-write: the journal names nothing it can act on.
    for (const name of await readdir(journal)) await writeFile(join(journal, name), '{"kind":"cont');
    const tracker = new ResourceTracker(journal);
    expect(await tracker.list()).toEqual([]);
    expect(alive(initPid)).toBe(true);

    const report = await removeLeftovers(tracker, await scanLeftovers({ stateDir, runtime: 'runc' }));
    expect(report.failed).toEqual([]);
    expect(report.removed.map((r) => r.kind)).toEqual(expect.arrayContaining(['process', 'container', 'cgroup', 'mount']));
    for (let i = 0; i < 100 && alive(initPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(initPid)).toBe(false);
    expect((await mountPoints()).filter((m) => m.startsWith(stateDir))).toEqual([]);
    expect(cgroupDirs(cgroupPathFor(id))).toEqual([]);
  });

  it('scans only its own state dir: a runtime process of another root is not ours', () => {
    expect(startedOnOurRoot(['runc', '--root', `${stateDir}/sessions/a/containers/runtime`, 'run', 'x'], stateDir)).toBe(true);
    expect(startedOnOurRoot(['/usr/bin/script', '--command', `stty raw && exec 'runc' '--root' '${stateDir}/sessions/a/containers/runtime' 'run'`], stateDir)).toBe(true);
    expect(startedOnOurRoot(['runc', '--root', `${stateDir}-other/sessions/a/containers/runtime`, 'run', 'x'], stateDir)).toBe(false);
    expect(startedOnOurRoot(['node', 'server.js', stateDir], stateDir)).toBe(false);
  });

  it('never deletes inside a mount it is removing a directory around', async () => {
    const tracker = new ResourceTracker(join(stateDir, 'journal2'));
    const layer = join(stateDir, 'layer');
    const dir = join(stateDir, 'bundle');
    await mkdir(join(layer, 'keep'), { recursive: true });
    await mkdir(join(dir, 'rootfs'), { recursive: true });
    // Journaled as a dir only: the mount record was lost, the bind mount is still there.
    await tracker.track({ kind: 'dir', path: dir });
    await mountRootfs([{ type: 'bind', source: layer, options: ['rw', 'rbind'] }], join(dir, 'rootfs'));
    expect((await removeLeftovers(tracker)).failed).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(await readdir(layer)).toEqual(['keep']);
  });
});
