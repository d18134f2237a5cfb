import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult, Engine, TerminalSize } from '../../src/engine/engine.js';
import { PushQueue } from '../../src/engine/push-queue.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** A learner at a terminal: what they type, their window's size, and what the command printed so far. */
interface Session {
  type(text: string): void;
  resize(cols: number, rows: number): void;
  /** Resolves with everything printed once `pattern` has been printed. */
  until(pattern: RegExp, timeoutMs?: number): Promise<string>;
  output(): string;
  interrupt(): void;
  end(): void;
  done: Promise<CommandResult>;
}

function attach(engine: Engine, line: string): Session {
  const stdin = new PushQueue<Uint8Array>();
  const sizes = new PushQueue<TerminalSize>({ keep: 'latest' });
  const ctrlC = new AbortController();
  let out = '';
  const done = engine.exec(line, { stdin, resize: sizes, signal: ctrlC.signal, stdout: (t) => (out += t), stderr: (t) => (out += t) });
  done.finally(() => sizes.end()).catch(() => undefined);
  return {
    type: (text) => void stdin.push(new TextEncoder().encode(text)),
    resize: (cols, rows) => sizes.push({ cols, rows }),
    async until(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) throw new Error(`${pattern} not printed; got ${JSON.stringify(out)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    },
    output: () => out,
    interrupt: () => ctrlC.abort(),
    end: () => stdin.end(),
    done,
  };
}

/** Asks `stty size` until the pty shows `rows cols`: the resize reaches the container by signals, not at once. */
async function sizeShown(s: Session, rows: number, cols: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const before = s.output().length;
    s.type('stty size\n');
    const deadline = Date.now() + 5_000;
    let answer: RegExpExecArray | null = null;
    while (!(answer = /\r\n(\d+ \d+)\r\n/.exec(s.output().slice(before))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (answer?.[1] === `${rows} ${cols}`) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`stty size never showed ${rows} ${cols}: ${JSON.stringify(s.output())}`);
}

describe.skipIf(!run)('docker run -it / exec -it on runc: a real pty (root)', () => {
  const linux = useLinuxEngine('layerlab-tty-');
  let engine: Engine;
  beforeAll(() => {
    engine = linux.engine;
  });
  afterAll(async () => {
    await engine?.exec('docker rm -f tty-exec');
  });

  it("run -it: the shell is on /dev/pts/0, follows a resize, and its exit status is the command's", { timeout: 30_000 }, async () => {
    const s = attach(engine, 'docker run -it --rm busybox sh');
    // Type at the prompt, as a learner does: input typed ahead of it is echoed by the pty's
    // cooked mode and then again by ash's line editor, in an order that depends on timing.
    await s.until(/\/ # /);
    s.type('tty; test -t 0 && echo yes\n');
    // The pty echoes what was typed, and its "\n" comes out as "\r\n".
    const shown = await s.until(/\r\nyes\r\n/);
    expect(shown).toContain('tty; test -t 0 && echo yes\r\n/dev/pts/0\r\n');
    s.resize(120, 40);
    await sizeShown(s, 40, 120);
    s.type('exit 3\n');
    expect((await s.done).exitCode).toBe(3);
  });

  it('run -t merges stderr into the one tty stream, as Docker does', { timeout: 30_000 }, async () => {
    const r = await engine.exec('docker run -t --rm busybox sh -c "echo out; echo err >&2"');
    expect(r).toMatchObject({ stdout: 'out\r\nerr\r\n', stderr: '', exitCode: 0 });
  });

  it("run -t of a missing executable fails as without -t: 127, Docker's message, nothing of runc's on the tty", { timeout: 30_000 }, async () => {
    const r = await engine.exec('docker run -t --rm busybox nosuch');
    expect(r.exitCode).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^docker: Error response from daemon: failed to create task for container: .*exec: "nosuch": executable file not found in \$PATH/,
    );
  });

  it('run -i without -t keeps pipes: stdin is no terminal and output has bare "\\n"', { timeout: 30_000 }, async () => {
    const s = attach(engine, 'docker run -i --rm busybox sh');
    s.type('test -t 0 && echo tty || echo pipe\n');
    s.end();
    expect(await s.done).toMatchObject({ stdout: 'pipe\n', exitCode: 0 });
  });

  it('exec -it: a shell on a pty; Ctrl-C ends its `sleep`, not the shell nor the container', { timeout: 30_000 }, async () => {
    expect((await engine.exec('docker run -d --name tty-exec busybox sleep 1000')).exitCode).toBe(0);
    const s = attach(engine, 'docker exec -it tty-exec sh');
    await s.until(/\/ # /); // the prompt: see the first test
    s.type('tty; test -t 0 && echo yes\n');
    expect(await s.until(/\r\nyes\r\n/)).toContain('\r\n/dev/pts/0\r\n');
    s.resize(100, 30);
    await sizeShown(s, 30, 100);
    s.type('sleep 100\n');
    await s.until(/sleep 100\r\n$/);
    // The sleep runs once the shell has read the echoed line and forked it.
    await new Promise((r) => setTimeout(r, 300));
    const typed = Date.now();
    s.type('\x03');
    // ash: SIGINT ends the foreground job and gives a new prompt; the shell itself stays.
    await s.until(/sleep 100\r\n\^C\r\n\/ # /);
    expect(Date.now() - typed).toBeLessThan(5_000);
    s.type('echo alive\n');
    await s.until(/\r\nalive\r\n/);
    s.type('exit 4\n');
    expect((await s.done).exitCode).toBe(4);
    expect((await engine.exec("docker inspect -f '{{.State.Running}}' tty-exec")).stdout).toBe('true\n');
  });

  it(
    "exec -it: the CLI's SIGINT (an `interrupt`) is forwarded as ^C on the pty, so it ends the sleep, not the shell",
    { timeout: 30_000 },
    async () => {
      const s = attach(engine, 'docker exec -it tty-exec sh');
      await s.until(/\/ # /); // the prompt: see the first test
      s.type('sleep 100\n');
      await s.until(/sleep 100\r\n$/);
      await new Promise((r) => setTimeout(r, 300));
      s.interrupt();
      // The shell outlives the grace, so the CLI leaves it (130); the sleep is gone, the ^C seen.
      expect((await s.done).exitCode).toBe(130);
      await s.until(/sleep 100\r\n\^C\r\n/);
      expect((await engine.exec('docker exec tty-exec ps -o args')).stdout).not.toMatch(/^sleep 100$/m);
      s.end();
    },
  );

  it("exec without -t: Ctrl-C reaches the exec'd process by its host PID, and the container keeps running", { timeout: 30_000 }, async () => {
    const s = attach(engine, 'docker exec tty-exec sleep 100');
    // runc writes the pid file once the process runs; the exec is then in `ps`.
    for (let i = 0; i < 100 && !/^sleep 100$/m.test((await engine.exec('docker exec tty-exec ps -o args')).stdout); i++)
      await new Promise((r) => setTimeout(r, 50));
    s.interrupt();
    expect((await s.done).exitCode).toBe(130);
    expect((await engine.exec("docker inspect -f '{{.State.Running}}' tty-exec")).stdout).toBe('true\n');
    expect((await engine.exec('docker exec tty-exec ps -o args')).stdout).not.toMatch(/^sleep 100$/m);
  });
});
