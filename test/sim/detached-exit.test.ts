import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';

/**
 * On the real clock, as in the browser: Docker's `run -d` of a command that ends at once
 * is `Exited` by the next command (cases/detached.case, recorded on the oracle). The
 * conformance replay settles fake time between commands, so it can not see this.
 */
describe('a short detached command on the simulator', () => {
  it('has exited, with its code, when the next command runs', async () => {
    const engine = await createSimEngine();
    try {
      expect((await engine.exec('docker run -d --network none --name quick busybox true')).exitCode).toBe(0);
      expect((await engine.exec("docker ps -a --format '{{.Names}} {{.Status}}'")).stdout).toBe('quick Exited (0) Less than a second ago\n');
      await engine.exec("docker run -d --network none --name fails busybox sh -c 'echo hi; exit 3'");
      expect((await engine.exec("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' fails")).stdout).toBe('exited 3\n');
      expect((await engine.exec('docker logs fails')).stdout).toBe('hi\n');
    } finally {
      await engine.dispose();
    }
  });

  it('that waits is still Up, and run -d does not wait for it', async () => {
    const engine = await createSimEngine();
    try {
      const started = Date.now();
      await engine.exec('docker run -d --network none --name sleeper busybox sleep 100');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await engine.exec("docker inspect -f '{{.State.Status}}' sleeper")).stdout).toBe('running\n');
    } finally {
      await engine.exec('docker rm -f sleeper');
      await engine.dispose();
    }
  });
});
