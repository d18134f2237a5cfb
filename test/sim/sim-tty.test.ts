import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { PushQueue } from '../../src/engine/push-queue.js';
import type { Engine } from '../../src/engine/engine.js';

/** Types `keys` one after another into `line`'s terminal, each once the output shows `after`. */
async function session(engine: Engine, line: string, steps: [after: RegExp, keys: string][]) {
  const stdin = new PushQueue<Uint8Array>();
  let out = '';
  const done = engine.exec(line, { stdin, stdout: (t) => (out += t) });
  for (const [after, keys] of steps) {
    for (let i = 0; i < 200 && !after.test(out); i++) await new Promise((r) => setTimeout(r, 10));
    expect(out).toMatch(after);
    stdin.push(new TextEncoder().encode(keys));
  }
  return { ...(await done), shown: out };
}

/** busybox 1.35's interactive ash greets so (Debian's busybox-static, the sandbox's base image, is what it is checked against). */
const GREETING =
  "\r\n\r\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) built-in shell (ash)\r\nEnter 'help' for a list of built-in commands.\r\n\r\n";

// The same session as on runc (test/sandbox/tty.linux.test.ts) and on Docker: a pty echoes
// the line, ends lines with "\r\n", and turns ^C into SIGINT for the foreground job.
describe("the simulator's -t: the pty a learner sees on Docker", () => {
  const steps: [RegExp, string][] = [
    [/\/ # $/, 'sleep 100\n'],
    [/sleep 100\r\n$/, '\x03'],
    [/\^C\r\n\/ # $/, 'echo alive\n'],
    [/alive\r\n\/ # $/, 'exit 3\n'],
  ];

  it("run -it: ^C ends the shell's sleep, not the shell; `exit 3` is the status", async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    const r = await session(engine, 'docker run -it --rm busybox sh', steps);
    expect(r).toMatchObject({ exitCode: 3, shown: `${GREETING}/ # sleep 100\r\n^C\r\n/ # echo alive\r\nalive\r\n/ # exit 3\r\n` });
  });

  it('exec -it: the same, and the container runs on', async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    expect((await engine.exec('docker run -d --name box busybox sleep 1000')).exitCode).toBe(0);
    const r = await session(engine, 'docker exec -it box sh', steps);
    expect(r).toMatchObject({ exitCode: 3, shown: `${GREETING}/ # sleep 100\r\n^C\r\n/ # echo alive\r\nalive\r\n/ # exit 3\r\n` });
    expect((await engine.exec("docker inspect -f '{{.State.Running}}' box")).stdout).toBe('true\n');
    await engine.dispose();
  });

  // Recorded from `busybox sh` on a pty (Debian busybox-static 1.35): the keys a terminal
  // sends — Enter is "\r", Backspace DEL — and ash's answers, less its cursor queries (ESC [ 6 n).
  it('^C at the prompt drops the line, prompts again and leaves $? at 130, which a bare `exit` returns', async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    const r = await session(engine, 'docker run -it --rm busybox sh', [
      [/\/ # $/, 'echo half'],
      [/echo half$/, '\x03'],
      [/\^C\r\n\/ # $/, 'echo $?\r'],
      [/130\r\n\/ # $/, 'echo 한x\x7f\x1b[A글 typo\x17ok\r'],
      [/한글 ok\r\n\/ # $/, '\x03'],
      [/\^C\r\n\/ # $/, 'exit\r'],
    ]);
    expect(r).toMatchObject({
      exitCode: 130,
      shown: `${GREETING}/ # echo half^C\r\n/ # echo $?\r\n130\r\n/ # echo 한x\b \b글 typo\b \b\b \b\b \b\b \bok\r\n한글 ok\r\n/ # ^C\r\n/ # exit\r\n`,
    });
  });

  it('^D on an empty line is end of file once: it ends `cat`, and the shell reads on', async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    const r = await session(engine, 'docker run -it --rm busybox sh', [
      [/\/ # $/, 'cat\r'],
      [/cat\r\n$/, 'typed\r'],
      [/typed\r\ntyped\r\n$/, '\x04'],
      [/typed\r\n\/ # $/, 'echo $?\r'],
      [/0\r\n\/ # $/, '\x04'],
    ]);
    expect(r).toMatchObject({ exitCode: 0, shown: `${GREETING}/ # cat\r\ntyped\r\ntyped\r\n/ # echo $?\r\n0\r\n/ # ` });
  });

  it('run -i without -t: pipes — \\x03 is a byte of input like any other, and nothing is echoed', async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    const stdin = new PushQueue<Uint8Array>();
    stdin.push(new TextEncoder().encode('a\x03b\n'));
    stdin.end();
    expect(await engine.exec('docker run -i --rm busybox wc -c', { stdin })).toMatchObject({ stdout: '4\n', exitCode: 0 });
  });
});
