import { describe, expect, it } from 'vitest';
import { aSimEngine } from './support/sim-engine.js';

/** Runs `line` and aborts it (Ctrl-C) after `afterMs` of Clock time. */
async function interrupted(t: Awaited<ReturnType<typeof aSimEngine>>, line: string, afterMs = 1000) {
  const ctrlC = new AbortController();
  const result = t.engine.exec(line, { signal: ctrlC.signal });
  await t.clock.advance(afterMs);
  ctrlC.abort();
  return t.clock.settle(result);
}

describe('Ctrl-C on a foreground command', () => {
  it('leaves `docker run` after the grace with 130 when PID 1 ignores SIGINT; the container keeps running', async () => {
    const t = await aSimEngine();
    const start = t.clock.now();
    const r = await interrupted(t, 'docker run --name sleeper busybox sleep 100');
    expect(r.exitCode).toBe(130);
    expect(t.clock.now() - start).toBe(1200);
    expect(await t.run(`docker ps --format '{{.Names}}: {{.Status}}'`)).toMatchInlineSnapshot(`
      "sleeper: Up Less than a second
      [exit 0]"
    `);
  });

  it("gives the container's own status when the forwarded SIGINT ends it", async () => {
    const t = await aSimEngine();
    const r = await interrupted(t, `docker run --name trapper busybox sh -c 'trap "echo bye; exit 3" INT; sleep 100 & wait'`);
    expect(r).toEqual({ stdout: 'bye\n', stderr: '', exitCode: 3 });
    expect(await t.run(`docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' trapper`)).toMatchInlineSnapshot(`
      "exited 3
      [exit 0]"
    `);
  });

  it('forwards SIGINT to an exec process (not PID 1: it dies of it) and leaves `start -a` and `logs -f` with 130', async () => {
    const t = await aSimEngine();
    await t.run('docker run -d --name bg busybox sh -c "echo up; sleep 100"');
    expect(await interrupted(t, 'docker exec bg sleep 50')).toEqual({ stdout: '', stderr: '', exitCode: 130 });
    const out: string[] = [];
    const ctrlC = new AbortController();
    const follow = t.engine.exec('docker logs -f bg', { signal: ctrlC.signal, stdout: (s) => out.push(s) });
    await t.clock.advance(500);
    ctrlC.abort();
    expect(await t.clock.settle(follow)).toEqual({ stdout: 'up\n', stderr: '', exitCode: 130 });
    await t.run('docker create --name later busybox sleep 100');
    expect((await interrupted(t, 'docker start -a later')).exitCode).toBe(130);
    expect(await t.run(`docker ps --format '{{.Names}}'`)).toMatchInlineSnapshot(`
      "later
      bg
      [exit 0]"
    `);
  });

  it('returns at once when the command ended before Ctrl-C', async () => {
    const t = await aSimEngine();
    const ctrlC = new AbortController();
    const r = await t.clock.settle(t.engine.exec('docker run busybox echo hi', { signal: ctrlC.signal }));
    ctrlC.abort();
    expect(r).toEqual({ stdout: 'hi\n', stderr: '', exitCode: 0 });
  });
});
