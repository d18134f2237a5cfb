import { describe, expect, it } from 'vitest';
import { aSimEngine } from './support/sim-engine.js';

describe('docker stop / restart --signal', () => {
  it('sends -s instead of TERM: a trap for it ends the container at once, with its own code', async () => {
    const t = await aSimEngine();
    await t.run(`docker run -d --name w1 busybox sh -c 'trap "exit 7" USR1; sleep 100 & wait'`);
    const start = t.clock.now();
    expect(await t.run('docker stop -s USR1 w1')).toBe('w1\n[exit 0]');
    // No 10 s grace spent: the signal was the one the trap handles.
    expect(t.clock.now() - start).toBeLessThan(1000);
    expect(await t.run(`docker inspect -f '{{.State.ExitCode}}' w1`)).toBe('7\n[exit 0]');
  });

  it('restart -s SIGUSR1 stops by the given signal, then starts again', async () => {
    const t = await aSimEngine();
    await t.run(`docker run -d --name r1 busybox sh -c 'trap "exit 7" USR1; sleep 100 & wait'`);
    expect(await t.run('docker restart -s SIGUSR1 r1')).toBe('r1\n[exit 0]');
    expect(await t.run(`docker inspect -f '{{.State.Status}}' r1`)).toBe('running\n[exit 0]');
  });

  it('refuses a signal it does not know, per container, as the daemon does', async () => {
    const t = await aSimEngine();
    await t.run('docker run -d --name x1 busybox sleep 100');
    expect(await t.run('docker stop -s NOPE x1')).toBe('! Error response from daemon: Invalid signal: NOPE\n[exit 1]');
    expect(await t.run(`docker inspect -f '{{.State.Status}}' x1`)).toBe('running\n[exit 0]');
  });
});
