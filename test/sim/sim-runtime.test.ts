import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/engine/drivers/clock.js';
import { ProcessStartError, RuntimeStateError } from '../../src/engine/errors.js';
import { runtimeContract } from '../contract/runtime.contract.js';
import { runIn, simulator } from './shell/harness.js';

runtimeContract('simulator', async () => simulator());

/** A clock that moves only when told to. */
class FakeClock implements Clock {
  private t = Date.UTC(2026, 10, 28, 12, 0, 0);
  private timers: { at: number; resolve: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = { at: this.t + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal.reason);
      });
    });
  }
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.resolve();
    await flush();
  }
}

/** Lets every ready promise chain run (the fake clock's timers are not real ones). */
const flush = () => new Promise((r) => setImmediate(r));

const PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const sink = { stdout() {}, stderr() {} };

describe('SimRuntime', () => {
  it('runs `sleep 2` in clock time', async () => {
    const clock = new FakeClock();
    const sim = await simulator({ clock });
    await sim.runtime.create(
      { id: 'a', hostname: 'h', rootfs: await sim.rootfs(), process: { args: ['sleep', '2'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
      sink,
    );
    let code: number | undefined;
    void (await sim.runtime.start('a')).wait().then((c) => (code = c));
    await clock.advance(1999);
    expect(code).toBeUndefined();
    await clock.advance(1);
    expect(code).toBe(0);
  });

  it('freezes on pause; a sleep that ended while paused returns at resume (the wall clock ran on)', async () => {
    const clock = new FakeClock();
    const sim = await simulator({ clock });
    await sim.runtime.create(
      { id: 'a', hostname: 'h', rootfs: await sim.rootfs(), process: { args: ['sleep', '1'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
      sink,
    );
    let code: number | undefined;
    void (await sim.runtime.start('a')).wait().then((c) => (code = c));
    await sim.runtime.pause('a');
    await clock.advance(5000);
    expect(code).toBeUndefined();
    expect((await sim.runtime.state('a')).status).toBe('paused');
    await sim.runtime.resume('a');
    await flush();
    expect(code).toBe(0);
  });

  it('takes a signal sent while paused when it is thawed, as runc and the cgroup freezer do', async () => {
    const clock = new FakeClock();
    const sim = await simulator({ clock });
    await sim.runtime.create(
      { id: 'a', hostname: 'h', rootfs: await sim.rootfs(), process: { args: ['sleep', '100'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
      sink,
    );
    let code: number | undefined;
    void (await sim.runtime.start('a')).wait().then((c) => (code = c));
    await sim.runtime.pause('a');
    await expect(sim.runtime.exec('a', { args: ['true'], env: [PATH], cwd: '/', terminal: false }, sink)).rejects.toBeInstanceOf(RuntimeStateError);
    await sim.runtime.kill('a', 'SIGKILL');
    await flush();
    expect(code).toBeUndefined();
    expect((await sim.runtime.state('a')).status).toBe('paused');
    await sim.runtime.resume('a');
    await flush();
    expect(code).toBe(137);
  });

  it('kills a non-init process with TERM (143) and lets a trap in init run after its foreground command', async () => {
    const clock = new FakeClock();
    const sim = await simulator({ clock });
    let out = '';
    await sim.runtime.create(
      {
        id: 'a',
        hostname: 'h',
        rootfs: await sim.rootfs(),
        process: {
          args: ['sh', '-c', "trap 'echo trapped; exit 5' TERM; sleep 10 & wait $!; echo after:$?; sleep 3"],
          env: [PATH],
          cwd: '/',
          terminal: false,
        },
        limits: {},
      },
      { stdout: (b) => (out += new TextDecoder().decode(b)), stderr() {} },
    );
    let code: number | undefined;
    void (await sim.runtime.start('a')).wait().then((c) => (code = c));
    await flush();
    const kill = await exec(sim, 'a', ['kill', '-TERM', '2']);
    expect(kill).toBe(0);
    await flush();
    expect(out).toBe('after:143\n');
    await sim.runtime.kill('a', 'SIGTERM');
    await flush();
    expect(code).toBeUndefined();
    await clock.advance(3000);
    expect(out).toBe('after:143\ntrapped\n');
    expect(code).toBe(5);
  });

  // Linux: SIGKILL ends a task blocked in read(2) at once; the read never returns to it.
  it('kills a process blocked reading a stdin that never ends (137), without waiting for the read', async () => {
    const sim = await simulator();
    const never = { [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<Uint8Array>>(() => {}) }) };
    await sim.runtime.create(
      { id: 'a', hostname: 'h', rootfs: await sim.rootfs(), process: { args: ['cat'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
      { ...sink, stdin: never },
    );
    let code: number | undefined;
    void (await sim.runtime.start('a')).wait().then((c) => (code = c));
    await flush();
    expect(code).toBeUndefined();
    await sim.runtime.kill('a', 'SIGKILL');
    await flush();
    expect(code).toBe(137);
  });

  // ash forks `sleep 50 &` (PID 3) and execs the last command, ps, in place of the shell (PID 2).
  it('numbers exec’d processes after init and reports the user from /etc/passwd', async () => {
    const sim = await simulator();
    await sim.runtime.create(
      { id: 'a', hostname: 'h', rootfs: await sim.rootfs(), process: { args: ['sleep', '100'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
      sink,
    );
    const h = await sim.runtime.start('a');
    let out = '';
    const handle = await sim.runtime.exec(
      'a',
      { args: ['sh', '-c', 'sleep 50 & ps'], env: [PATH], cwd: '/', terminal: false, user: 'nobody' },
      { stdout: (b) => (out += new TextDecoder().decode(b)), stderr() {} },
    );
    expect(await handle.wait()).toBe(0);
    expect(out).toBe('PID   USER     COMMAND\n    1 root     sleep 100\n    2 nobody   ps\n    3 nobody   sleep 50\n');
    await sim.runtime.kill('a', 'SIGKILL');
    expect(await h.wait()).toBe(137);
  });

  it('turns a non-executable program into a 126 start error', async () => {
    const sim = await simulator();
    await sim.runtime.create(
      { id: 'a', hostname: 'h', rootfs: await sim.rootfs(), process: { args: ['/etc/passwd'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
      sink,
    );
    const err = await sim.runtime.start('a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcessStartError);
    expect((err as ProcessStartError).exitCode).toBe(126);
    expect((err as Error).message).toBe('exec: "/etc/passwd": permission denied');
    expect((await sim.runtime.state('a')).status).toBe('stopped');
  });

  it('prints the banner and root prompt and echoes input on a terminal, with CRLF line ends', async () => {
    const sim = await simulator();
    const r = await runIn(sim, ['sh'], { terminal: true, stdin: 'cd /tmp\necho hi\n' });
    // The pty echoes input typed ahead as it arrives, before the shell's next prompt, as on Linux.
    expect(r.stdout).toMatch(
      /^\r\n\r\nBusyBox v1\.35\.0 .* built-in shell \(ash\)\r\nEnter 'help' for a list of built-in commands\.\r\n\r\n\/ # cd \/tmp\r\necho hi\r\n/,
    );
    expect(r.stdout.endsWith('/tmp # hi\r\n/tmp # ')).toBe(true);
    expect(r.code).toBe(0);
  });

  it('reads commands from stdin without a prompt when there is no terminal', async () => {
    const r = await runIn(await simulator(), ['sh'], { stdin: 'echo a\nexit 4\necho b\n' });
    expect(r).toEqual({ stdout: 'a\n', stderr: '', code: 4 });
  });

  it('shares the host kernel: uname -r is the host’s, hostname the container’s', async () => {
    const r = await runIn(await simulator(), ['uname', '-a'], { hostname: 'box' });
    expect(r.stdout).toBe('Linux box 6.8.0-layerlab #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n');
  });

  it('creates, starts, waits for and deletes `echo hi` again and again, leaving nothing', async () => {
    const sim = await simulator();
    const mounts = await sim.rootfs();
    // Its speed is bench/sim.bench.ts's figure, not a timed test's.
    for (let i = 0; i < 300; i++) {
      await sim.runtime.create(
        { id: `e${i}`, hostname: 'h', rootfs: mounts, process: { args: ['echo', 'hi'], env: [PATH], cwd: '/', terminal: false }, limits: {} },
        sink,
      );
      expect(await (await sim.runtime.start(`e${i}`)).wait()).toBe(0);
      await sim.runtime.delete(`e${i}`);
      await expect(sim.runtime.state(`e${i}`)).rejects.toThrow();
    }
  });
});

async function exec(sim: Awaited<ReturnType<typeof simulator>>, id: string, args: string[]): Promise<number> {
  return (await sim.runtime.exec(id, { args, env: [PATH], cwd: '/', terminal: false }, sink)).wait();
}
