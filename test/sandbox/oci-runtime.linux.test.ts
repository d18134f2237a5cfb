import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { OverlaySnapshotter } from '../../sandbox-server/linux/overlay-snapshotter.js';
import { OciRuntime } from '../../sandbox-server/linux/oci-runtime.js';
import { ResourceTracker } from '../../sandbox-server/linux/cleanup.js';
import { detectRuntime } from '../../sandbox-server/linux/runtime-detect.js';
import { cgroupDirs, cgroupPathFor } from '../../sandbox-server/linux/cgroups.js';
import { mountPoints } from '../../sandbox-server/linux/mount.js';
import type { ContainerSpec, ProcessIO } from '../../src/engine/drivers/runtime.js';
import { attachBaseImage, buildBaseImage, type BaseImageLayer } from '../../sandbox-server/linux/base-image.js';
import { ProcessStartError, RuntimeContainerNotFound, RuntimeStateError } from '../../src/engine/errors.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const BUSYBOX = existsSync('/bin/busybox') ? '/bin/busybox' : '/usr/bin/busybox';

interface Captured extends ProcessIO {
  out(): string;
  err(): string;
}
function capture(stdin?: string): Captured {
  const o: Uint8Array[] = [];
  const e: Uint8Array[] = [];
  const dec = (parts: Uint8Array[]) => Buffer.concat(parts).toString('utf8');
  const io: Captured = { stdout: (c) => o.push(c), stderr: (c) => e.push(c), out: () => dec(o), err: () => dec(e) };
  if (stdin !== undefined)
    io.stdin = (async function* () {
      yield new TextEncoder().encode(stdin);
    })();
  return io;
}

describe.skipIf(!run)('OCI runtime driver on runc', () => {
  let root: string;
  let snapshots: OverlaySnapshotter;
  let runtime: OciRuntime;
  let tracker: ResourceTracker;
  let base: BaseImageLayer;
  let n = 0;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'layerlab-rt-'));
    base = await buildBaseImage({ root: join(root, 'base'), busybox: BUSYBOX });
    snapshots = await OverlaySnapshotter.open(join(root, 'snapshots'));
    await attachBaseImage(snapshots, base);
    const detected = await detectRuntime({ workDir: join(root, 'probe'), busybox: BUSYBOX });
    expect(detected.runtime?.path).toBeTruthy();
    tracker = new ResourceTracker(join(root, 'tracked'));
    runtime = new OciRuntime({ runtime: detected.runtime!.path!, stateDir: join(root, 'state'), tracker });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  async function create(args: string[], io: ProcessIO, extra: Partial<ContainerSpec> = {}): Promise<ContainerSpec> {
    const id = `t${process.pid}-${++n}`;
    const rootfs = await snapshots.prepare(id, base.diffId);
    const spec: ContainerSpec = {
      id,
      hostname: id.slice(0, 12),
      rootfs,
      process: { args, env: ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'], cwd: '/', terminal: false },
      limits: { memoryBytes: 64 << 20, pids: 64, cpuShares: 512 },
      ...extra,
    };
    await runtime.create(spec, io);
    return spec;
  }
  async function runToEnd(args: string[], stdin?: string) {
    const io = capture(stdin);
    const spec = await create(args, io);
    const code = await (await runtime.start(spec.id)).wait();
    await runtime.delete(spec.id);
    const changes = await snapshots.changes(spec.id);
    await snapshots.remove(spec.id);
    return { code, out: io.out(), err: io.err(), changes };
  }

  it('runs a process, streams its output and reports its exit code', async () => {
    expect(await runToEnd(['echo', 'hi'])).toMatchObject({ code: 0, out: 'hi\n', err: '' });
    expect(await runToEnd(['sh', '-c', 'echo oops >&2; exit 3'])).toMatchObject({ code: 3, out: '', err: 'oops\n' });
    expect(await runToEnd(['cat'], 'from stdin\n')).toMatchObject({ code: 0, out: 'from stdin\n' });
  });

  it("starts `runc run` and `runc exec` from a host shell, not as the server's children, with the runner journaled", async () => {
    const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    const spec = await create(['sleep', '100'], capture());
    const handle = await runtime.start(spec.id);
    // The init's parent is `runc run` (its subreaper); that one's parent a pooled sh, not us.
    const runner = parentOf(handle.pid!);
    expect(readFileSync(`/proc/${runner}/cmdline`, 'utf8')).toContain(`run\0--bundle\0${join(root, 'state/bundles', spec.id)}`);
    expect(parentOf(runner)).not.toBe(process.pid);
    expect(readFileSync(`/proc/${parentOf(runner)}/comm`, 'utf8').trim()).toMatch(/^(sh|dash)$/);
    expect((await tracker.list()).some((r) => r.kind === 'process' && r.pid === runner)).toBe(true);
    const execIO = capture('typed\n');
    const exec = await runtime.exec(spec.id, { args: ['sh', '-c', 'cat; echo $PPID'], env: ['PATH=/bin'], cwd: '/', terminal: false }, execIO);
    expect(await exec.wait()).toBe(0);
    expect(execIO.out()).toMatch(/^typed\n\d+\n$/);
    await runtime.kill(spec.id, 'SIGKILL');
    expect(await handle.wait()).toBe(137);
    await runtime.delete(spec.id);
    await snapshots.remove(spec.id);
  });

  it('isolates hostname, PIDs and network, and keeps the learner out of the kernel', async () => {
    const r = await runToEnd([
      'sh',
      '-c',
      'hostname; ps -o pid,comm | sed -n 2p; cut -d: -f1 /proc/net/dev | tail -n +3 | tr -d " "; unshare -U true 2>&1; mount -t tmpfs none /tmp 2>&1; echo caps=$(grep CapEff /proc/self/status | cut -f2); echo masked=$( (wc -c < /proc/interrupts) 2>&1); (echo x > /proc/sys/kernel/domainname) 2>&1; grep NoNewPrivs /proc/self/status',
    ]);
    const [hostname, ps, ...rest] = r.out.trim().split('\n');
    expect(hostname).toMatch(/^t\d+-\d+$/);
    expect(ps?.trim()).toBe('1 sh');
    expect(rest[0]).toBe('lo');
    expect(r.out).toContain('unshare: unshare(0x10000000): Operation not permitted');
    // seccomp answers EPERM, which busybox words as a missing privilege.
    expect(r.out).toContain('mount: permission denied (are you root?)');
    // Docker's 14 default capabilities.
    expect(r.out).toContain('caps=00000000a80425fb');
    // Docker's masked and read-only /proc paths, and no_new_privs.
    expect(r.out).toContain('masked=0');
    expect(r.out).toContain("can't create /proc/sys/kernel/domainname: Read-only file system");
    expect(r.out).toMatch(/NoNewPrivs:\s+1/);
  });

  it('writes to the upper dir that the kernel overlays on the image layer', async () => {
    const io = capture();
    const spec = await create(['sh', '-c', 'echo hi > /f; rm /etc/passwd; exec sleep 100'], io);
    const handle = await runtime.start(spec.id);
    const upperOpt = spec.rootfs[0]!.options.find((o) => o.startsWith('upperdir='))!;
    const upper = upperOpt.slice('upperdir='.length);
    for (let i = 0; i < 100 && !existsSync(join(upper, 'etc/passwd')); i++) await new Promise((r) => setTimeout(r, 20));
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    const line = mountinfo.split('\n').find((l) => l.includes(` ${join(root, 'state/bundles', spec.id, 'rootfs')} `));
    expect(line).toContain(' - overlay overlay ');
    // The image's layer directory is the overlay's lower layer.
    expect(line).toContain(`lowerdir=${base.layerDir},`);
    expect(line).toContain(upperOpt);
    expect(await readFile(join(upper, 'f'), 'utf8')).toBe('hi\n');
    const wh = await stat(join(upper, 'etc/passwd'));
    expect([wh.isCharacterDevice(), wh.rdev]).toEqual([true, 0]);
    expect(await runtime.state(spec.id)).toEqual({ status: 'running', pid: handle.pid });
    // The cgroup limits are the kernel's.
    const memDir = cgroupDirs(cgroupPathFor(spec.id)).find((d) => d.includes('/memory/'));
    if (memDir) expect(readFileSync(join(memDir, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(64 << 20));

    await runtime.pause(spec.id);
    expect((await runtime.state(spec.id)).status).toBe('paused');
    await expect(runtime.delete(spec.id)).rejects.toBeInstanceOf(RuntimeStateError);
    await runtime.resume(spec.id);
    const execIO = capture();
    const exec = await runtime.exec(
      spec.id,
      { args: ['sh', '-c', 'cat /f; id -u; exit 7'], env: ['PATH=/bin'], cwd: '/', user: '65534', terminal: false },
      execIO,
    );
    expect(await exec.wait()).toBe(7);
    expect(execIO.out()).toBe('hi\n65534\n');
    await expect(runtime.exec(spec.id, { args: ['nope'], env: ['PATH=/bin'], cwd: '/', terminal: false }, capture())).rejects.toSatisfy(
      (e) => e instanceof ProcessStartError && e.exitCode === 127,
    );

    await runtime.kill(spec.id, 'SIGKILL');
    expect(await handle.wait()).toBe(137);
    expect((await runtime.state(spec.id)).status).toBe('stopped');
    await expect(runtime.kill(spec.id, 'SIGKILL')).rejects.toBeInstanceOf(RuntimeStateError);
    await runtime.delete(spec.id);

    // Nothing is left: no mount, no cgroup, no bundle, no runc state, no shim, no journal entry.
    expect((await mountPoints()).filter((m) => m.startsWith(root))).toEqual([]);
    expect(cgroupDirs(cgroupPathFor(spec.id))).toEqual([]);
    expect(existsSync(join(root, 'state/bundles', spec.id))).toBe(false);
    expect(existsSync(join(root, 'state/runtime', spec.id))).toBe(false);
    expect(await tracker.list()).toEqual([]);
    await expect(runtime.state(spec.id)).rejects.toBeInstanceOf(RuntimeContainerNotFound);
    await snapshots.remove(spec.id);
  });

  it('reports a process that can not start as Docker does (127) at start, leaving the container created', async () => {
    const io = capture();
    const spec = await create(['nope'], io);
    expect(await runtime.state(spec.id)).toEqual({ status: 'created' });
    await expect(runtime.start(spec.id)).rejects.toSatisfy(
      (e) => e instanceof ProcessStartError && e.exitCode === 127 && e.message === 'exec: "nope": executable file not found in $PATH',
    );
    expect(io.err()).toBe('');
    expect(await runtime.state(spec.id)).toEqual({ status: 'created' });
    expect((await tracker.list()).map((r) => r.kind).sort()).toEqual(['dir', 'mount']);
    expect(cgroupDirs(cgroupPathFor(spec.id))).toEqual([]);
    await runtime.delete(spec.id);
    expect(await tracker.list()).toEqual([]);
    expect((await mountPoints()).filter((m) => m.startsWith(root))).toEqual([]);
    await snapshots.remove(spec.id);
  });
});
