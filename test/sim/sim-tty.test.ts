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
    expect(r).toMatchObject({ exitCode: 3, shown: '/ # sleep 100\r\n^C\r\n/ # echo alive\r\nalive\r\n/ # exit 3\r\n' });
  });

  it('exec -it: the same, and the container runs on', async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    expect((await engine.exec('docker run -d --name box busybox sleep 1000')).exitCode).toBe(0);
    const r = await session(engine, 'docker exec -it box sh', steps);
    expect(r).toMatchObject({ exitCode: 3, shown: '/ # sleep 100\r\n^C\r\n/ # echo alive\r\nalive\r\n/ # exit 3\r\n' });
    expect((await engine.exec("docker inspect -f '{{.State.Running}}' box")).stdout).toBe('true\n');
    await engine.dispose();
  });

  it('run -i without -t: pipes — \\x03 is a byte of input like any other, and nothing is echoed', async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace([]) });
    const stdin = new PushQueue<Uint8Array>();
    stdin.push(new TextEncoder().encode('a\x03b\n'));
    stdin.end();
    expect(await engine.exec('docker run -i --rm busybox wc -c', { stdin })).toMatchObject({ stdout: '4\n', exitCode: 0 });
  });
});
