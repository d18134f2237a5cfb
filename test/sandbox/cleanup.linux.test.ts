import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { startSiteServer, type SiteServer } from '../support/site-server.js';
import { ResourceTracker, removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import { cgroupDirs, cgroupPathFor, cgroupProcs, sessionCgroupPath } from '../../sandbox-server/linux/cgroups.js';
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
    const server = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CRASHING_SERVER, stateDir, sessionRoot], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
    const cgroup = cgroupPathFor(id, sessionCgroupPath(sessionRoot));

    // The crash left a running container behind, and the journal knows all of it.
    const tracker = new ResourceTracker(linuxPaths(stateDir).tracked);
    const journal = await tracker.list();
    // Two cgroups: the session's (with its ceiling) and the container's inside it.
    expect(journal.map((r) => r.kind).sort()).toEqual(['cgroup', 'cgroup', 'container', 'dir', 'mount', 'process']);
    expect((await mountPoints()).some((m) => m.startsWith(sessionRoot))).toBe(true);
    expect(cgroupDirs(cgroup).length).toBeGreaterThan(0);
    expect(alive(initPid)).toBe(true);

    const report = await removeLeftovers(tracker);
    expect(report.failed).toEqual([]);
    expect(report.removed).toHaveLength(6);
    expect(await tracker.list()).toEqual([]);
    for (let i = 0; i < 100 && alive(initPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(initPid)).toBe(false);
    expect((await mountPoints()).filter((m) => m.startsWith(stateDir))).toEqual([]);
    expect(cgroupDirs(cgroup)).toEqual([]);
    expect(cgroupDirs(sessionCgroupPath(sessionRoot))).toEqual([]);
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
    expect(cgroupDirs(cgroupPathFor(id, sessionCgroupPath(sessionRoot)))).toEqual([]);
    // The session's cgroup too, which only the scan of session roots can name.
    expect(cgroupDirs(sessionCgroupPath(sessionRoot))).toEqual([]);
  });

  it('scans only its own state dir: a runtime process of another root is not ours', () => {
    expect(startedOnOurRoot(['runc', '--root', `${stateDir}/sessions/a/containers/runtime`, 'run', 'x'], stateDir)).toBe(true);
    expect(
      startedOnOurRoot(
        ['/usr/bin/script', '--command', `stty raw && exec 'runc' '--root' '${stateDir}/sessions/a/containers/runtime' 'run'`],
        stateDir,
      ),
    ).toBe(true);
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

describe.skipIf(!run)('a server killed mid-work with 20 sessions open, started again', () => {
  let work: string;
  let stateDir: string;
  const servers: SiteServer[] = [];
  const env = () => ({
    LAYERLAB_STATE_DIR: stateDir,
    LAYERLAB_SITE_DIR: join(work, 'no-site'),
    LAYERLAB_SESSIONS_PER_ADDRESS: '100',
    // 20 sessions are opened whatever this host's capacity (capacity.ts) works out to.
    LAYERLAB_MAX_SESSIONS: '100',
    LAYERLAB_SESSION_BYTES: String(256 * 2 ** 20),
  });
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'layerlab-kill9-'));
    // The user namespace's root reaches the state dir through its parents (mapped-root-access.ts).
    await chmod(work, 0o711);
    stateDir = join(work, 'state');
  });
  afterAll(async () => {
    for (const server of servers) await server.crash();
    // Whatever a failed run left: the start-up sweep's own functions, by journal and by scan.
    await removeLeftovers(new ResourceTracker(linuxPaths(stateDir).tracked), await scanLeftovers({ stateDir, runtime: 'runc' }));
    await rm(work, { recursive: true, force: true });
  });

  async function api(server: SiteServer, method: string, path: string, token?: string, body?: unknown): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  }
  const bundles = async () =>
    (
      await Promise.all(
        (await readdir(join(stateDir, 'sessions'))).map(async (s) =>
          readdir(join(stateDir, 'sessions', s, 'containers/bundles')).then(
            (b) => b.map((id) => join(stateDir, 'sessions', s, 'containers/bundles', id)),
            () => [],
          ),
        ),
      )
    ).flat();

  it('leaves no mount, cgroup, process or session dir, and images intact or cleanly absent', async () => {
    const first = await startSiteServer(env());
    servers.push(first);
    const sessions: { id: string; token: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await api(first, 'POST', '/api/sessions', undefined, {});
      expect(res.status, await res.clone().text()).toBe(201);
      sessions.push((await res.json()) as { id: string; token: string });
    }
    const [builder, runner, committer, ...rest] = sessions as [
      (typeof sessions)[0],
      (typeof sessions)[0],
      (typeof sessions)[0],
      ...(typeof sessions)[0][],
    ];
    const command = (s: (typeof sessions)[0], line: string) => api(first, 'POST', `/api/sessions/${s.id}/commands`, s.token, { command: line });

    // A commit of a container with a large layer, a long foreground run, a build whose RUN step runs.
    expect(
      (await command(committer, "docker run -d --name big busybox sh -c 'dd if=/dev/zero of=/big bs=1M count=64 2>/dev/null; sleep 300'")).status,
    ).toBe(200);
    for (const s of rest.slice(0, 4)) expect((await command(s, 'docker run -d busybox sleep 300')).status).toBe(200);
    const put = await api(
      first,
      'PUT',
      `/api/sessions/${builder.id}/files/Dockerfile`,
      builder.token,
      'FROM busybox\nRUN echo building && sleep 300\n',
    );
    expect(put.status).toBeLessThan(300);
    const inFlight = [command(builder, 'docker build -t slow .'), command(runner, 'docker run busybox sleep 300')].map((p) =>
      p.catch(() => undefined),
    );
    // The build step's and the run's containers exist (besides the 5 detached ones).
    for (let i = 0; i < 300 && (await bundles()).length < 7; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2000)); // the 64 MiB file written
    inFlight.push(command(committer, 'docker commit big committed').catch(() => undefined));
    await new Promise((r) => setTimeout(r, 150));
    await first.crash();
    await Promise.all(inFlight);

    // What the crash left: session tmpfs and overlay mounts, container cgroups, running processes.
    const left = {
      mounts: (await mountPoints()).filter((m) => m.startsWith(`${stateDir}/`)),
      cgroups: (
        await Promise.all((await bundles()).map(async (b) => JSON.parse(await readFile(join(b, 'config.json'), 'utf8')).linux.cgroupsPath as string))
      ).filter((c) => cgroupDirs(c).length > 0),
      // Each session's own cgroup, the containers' parent with the session's ceiling.
      sessionCgroups: (await readdir(join(stateDir, 'sessions')))
        .map((s) => sessionCgroupPath(join(stateDir, 'sessions', s)))
        .filter((c) => cgroupDirs(c).length > 0),
    };
    const pids = left.cgroups.flatMap((c) => cgroupProcs(c));
    expect(left.mounts.length).toBeGreaterThanOrEqual(20 + 7);
    expect(left.cgroups.length).toBeGreaterThanOrEqual(7);
    expect(left.sessionCgroups).toHaveLength(20);
    expect(pids.length).toBeGreaterThan(0);
    expect(ourRuntimeProcesses()).not.toEqual([]);

    const second = await startSiteServer(env());
    servers.push(second);
    expect((await mountPoints()).filter((m) => m.startsWith(`${stateDir}/`))).toEqual([]);
    for (const c of [...left.cgroups, ...left.sessionCgroups]) expect(cgroupDirs(c), c).toEqual([]);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(ourRuntimeProcesses()).toEqual([]);
    expect(await readdir(join(stateDir, 'sessions'))).toEqual([]);

    // Stored images: the base image loads, and a new session runs a container on it.
    const res = await api(second, 'POST', '/api/sessions', undefined, {});
    expect(res.status).toBe(201);
    const fresh = (await res.json()) as { id: string; token: string };
    const ok = await api(second, 'POST', `/api/sessions/${fresh.id}/commands`, fresh.token, { command: 'docker run --rm busybox echo ok' });
    expect(await ok.json()).toMatchObject({ stdout: 'ok\n', exitCode: 0 });
    await second.stop();
    expect((await mountPoints()).filter((m) => m.startsWith(`${stateDir}/`))).toEqual([]);
  }, 240_000);

  /** Processes started on a runtime root below this state dir (leftover-scan.ts's rule). */
  function ourRuntimeProcesses(): number[] {
    return readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n) && alive(Number(n)))
      .filter((n) => {
        try {
          return startedOnOurRoot(readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0'), stateDir);
        } catch {
          return false;
        }
      })
      .map(Number);
  }
});
