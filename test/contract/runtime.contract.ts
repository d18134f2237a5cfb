import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerSpec, ProcessIO, Runtime } from '../../src/engine/drivers/runtime.js';
import type { Mount } from '../../src/engine/drivers/snapshotter.js';
import { ProcessStartError, RuntimeContainerNotFound, RuntimeStateError } from '../../src/engine/errors.js';

export interface RuntimeFixture {
  runtime: Runtime;
  /** A fresh busybox rootfs for one container. */
  rootfs(): Promise<Mount[]>;
  /** A fresh volume's mount source (as its VolumeStore made it), and a read of a file in it from the store's side. */
  volume(name: string): Promise<{ source: string; read(file: string): Promise<string | undefined> }>;
  cleanup?(): Promise<void>;
}

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Output collected as it streams, with a wait for a given text. */
class Captured {
  stdout = '';
  stderr = '';
  private readonly dec = new TextDecoder();
  readonly io: ProcessIO = {
    stdout: (b) => (this.stdout += this.dec.decode(b)),
    stderr: (b) => (this.stderr += this.dec.decode(b)),
  };

  async waitFor(text: string, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.stdout.includes(text)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; stdout so far: ${JSON.stringify(this.stdout)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The OCI runtime contract: what every Runtime (the simulator, runc with real busybox)
 * does alike. Only behaviour both share; waits are short because it runs in real time.
 */
export function runtimeContract(name: string, make: () => Promise<RuntimeFixture>): void {
  describe(`Runtime contract: ${name}`, () => {
    let fx: RuntimeFixture;
    const ids: string[] = [];

    beforeEach(async () => {
      fx = await make();
    });

    afterEach(async () => {
      for (const id of ids.splice(0)) {
        const st = await fx.runtime.state(id).catch(() => undefined);
        if (!st) continue;
        if (st.status === 'paused') await fx.runtime.resume(id);
        if (st.status === 'running' || st.status === 'paused') await fx.runtime.kill(id, 'SIGKILL');
        for (let i = 0; i < 100 && (await fx.runtime.state(id)).status !== 'stopped'; i++) await pause(10);
        await fx.runtime.delete(id).catch(() => undefined);
      }
      await fx.cleanup?.();
    });

    let n = 0;
    async function create(args: string[], io: ProcessIO, opts: Partial<ContainerSpec> = {}): Promise<string> {
      const id = `contract-${process.pid}-${++n}-${Math.random().toString(16).slice(2, 8)}`;
      ids.push(id);
      await fx.runtime.create(
        {
          id,
          hostname: 'contract-host',
          rootfs: await fx.rootfs(),
          process: { args, env: [PATH, 'HOME=/root'], cwd: '/', terminal: false },
          limits: {},
          ...opts,
        },
        io,
      );
      return id;
    }

    it("mounts a volume's directory over its destination: writes land in the volume, a second rootfs sees them, read-only refuses", async () => {
      const vol = await fx.volume('data');
      const wait = async (id: string) => (await fx.runtime.start(id)).wait();
      const writer = new Captured();
      const w = await create(['sh', '-c', 'echo kept > /srv/data/note && cat /srv/data/note'], writer.io, {
        volumes: [{ source: vol.source, destination: '/srv/data', readOnly: false }],
      });
      expect(await wait(w)).toBe(0);
      expect(writer.stdout).toBe('kept\n');
      expect(await vol.read('note')).toBe('kept\n');
      const reader = new Captured();
      const r = await create(['sh', '-c', 'cat /srv/data/note; touch /srv/data/x'], reader.io, {
        volumes: [{ source: vol.source, destination: '/srv/data', readOnly: true }],
      });
      expect(await wait(r)).toBe(1);
      expect(reader.stdout).toBe('kept\n');
      expect(reader.stderr).toContain('Read-only file system');
      expect(await vol.read('x')).toBeUndefined();
    });

    it('streams stdout and stderr and reports the exit code; created → running → stopped', async () => {
      const out = new Captured();
      const id = await create(['sh', '-c', 'echo out; echo err >&2; exit 3'], out.io);
      expect((await fx.runtime.state(id)).status).toBe('created');
      const h = await fx.runtime.start(id);
      expect(await h.wait()).toBe(3);
      expect(out.stdout).toBe('out\n');
      expect(out.stderr).toBe('err\n');
      expect((await fx.runtime.state(id)).status).toBe('stopped');
      await fx.runtime.delete(id);
      await expect(fx.runtime.state(id)).rejects.toBeInstanceOf(RuntimeContainerNotFound);
    });

    it('fails to start a missing executable with 127', async () => {
      const id = await create(['nosuchcommand'], new Captured().io);
      const err = await fx.runtime.start(id).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProcessStartError);
      expect((err as ProcessStartError).exitCode).toBe(127);
      expect((err as Error).message).toContain('executable file not found in $PATH');
    });

    it('is running while `sleep 100` runs and ends with 137 on SIGKILL', async () => {
      const id = await create(['sleep', '100'], new Captured().io);
      const h = await fx.runtime.start(id);
      await pause(50);
      expect((await fx.runtime.state(id)).status).toBe('running');
      await fx.runtime.kill(id, 'SIGKILL');
      expect(await h.wait()).toBe(137);
      expect((await fx.runtime.state(id)).status).toBe('stopped');
    });

    it('PID 1 ignores SIGTERM it has no handler for', async () => {
      const id = await create(['sleep', '100'], new Captured().io);
      const h = await fx.runtime.start(id);
      await pause(50);
      await fx.runtime.kill(id, 'SIGTERM');
      await pause(200);
      expect((await fx.runtime.state(id)).status).toBe('running');
      await fx.runtime.kill(id, 'SIGKILL');
      expect(await h.wait()).toBe(137);
    });

    it('a shell that traps TERM runs its trap', async () => {
      const out = new Captured();
      const id = await create(['sh', '-c', "trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.1; done"], out.io);
      const h = await fx.runtime.start(id);
      await out.waitFor('ready\n');
      await fx.runtime.kill(id, 'SIGTERM');
      expect(await h.wait()).toBe(0);
      expect(out.stdout).toBe('ready\nbye\n');
    });

    it('pauses and resumes; exec into a paused container is refused', async () => {
      const id = await create(['sleep', '100'], new Captured().io);
      await fx.runtime.start(id);
      await fx.runtime.pause(id);
      expect((await fx.runtime.state(id)).status).toBe('paused');
      await expect(fx.runtime.exec(id, { args: ['echo', 'hi'], env: [PATH], cwd: '/', terminal: false }, new Captured().io)).rejects.toBeInstanceOf(
        RuntimeStateError,
      );
      await fx.runtime.resume(id);
      expect((await fx.runtime.state(id)).status).toBe('running');
    });

    it('execs processes into a running container, which ps lists after PID 1', async () => {
      const id = await create(['sleep', '100'], new Captured().io);
      await fx.runtime.start(id);
      const echo = new Captured();
      expect(await (await fx.runtime.exec(id, { args: ['echo', 'hi'], env: [PATH], cwd: '/', terminal: false }, echo.io)).wait()).toBe(0);
      expect(echo.stdout).toBe('hi\n');
      const ps = new Captured();
      expect(await (await fx.runtime.exec(id, { args: ['ps'], env: [PATH], cwd: '/', terminal: false }, ps.io)).wait()).toBe(0);
      const lines = ps.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('PID   USER     COMMAND');
      expect(lines[1]).toBe('    1 root     sleep 100');
      expect(lines[lines.length - 1]).toMatch(/^ +[0-9]+ root {5}ps$/);
    });

    it('gives the container its own hostname', async () => {
      const out = new Captured();
      const id = await create(['hostname'], out.io, { hostname: 'myhost' });
      expect(await (await fx.runtime.start(id)).wait()).toBe(0);
      expect(out.stdout).toBe('myhost\n');
    });

    it("runs the init with a host PID in its own pid, net, mnt, uts, ipc and user namespaces (cgroup the host's), while it runs", async () => {
      const id = await create(['sleep', '100'], new Captured().io);
      const h = await fx.runtime.start(id);
      expect(h.pid).toBeGreaterThan(1);
      expect(fx.runtime.namespaces).toBeTypeOf('function');
      const ns = await fx.runtime.namespaces!(id);
      expect(ns.map((n) => n.type).sort()).toEqual(['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts']);
      // Docker's on cgroup v1 and ours everywhere: no cgroup namespace of its own; a user namespace as with userns-remap.
      expect(
        ns
          .filter((n) => n.inode !== n.hostInode)
          .map((n) => n.type)
          .sort(),
      ).toEqual(['ipc', 'mnt', 'net', 'pid', 'user', 'uts']);
      await fx.runtime.pause(id);
      expect(await fx.runtime.namespaces!(id)).toEqual(ns);
      await fx.runtime.resume(id);
      await fx.runtime.kill(id, 'SIGKILL');
      await h.wait();
      await expect(fx.runtime.namespaces!(id)).rejects.toBeInstanceOf(RuntimeStateError);
    });

    it('refuses to delete a running container', async () => {
      const id = await create(['sleep', '100'], new Captured().io);
      const h = await fx.runtime.start(id);
      await expect(fx.runtime.delete(id)).rejects.toBeInstanceOf(RuntimeStateError);
      await fx.runtime.kill(id, 'SIGKILL');
      await h.wait();
      await fx.runtime.delete(id);
    });

    it('rejects operations on unknown containers', async () => {
      await expect(fx.runtime.state('no-such-container')).rejects.toBeInstanceOf(RuntimeContainerNotFound);
      await expect(fx.runtime.kill('no-such-container', 'SIGKILL')).rejects.toBeInstanceOf(RuntimeContainerNotFound);
    });
  });
}
