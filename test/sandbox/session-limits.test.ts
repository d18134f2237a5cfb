import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, limitsFromEnv, resourcePolicy } from '../../sandbox-server/sessions/session-limits.js';
import { DEFAULT_RESOURCE_POLICY } from '../../src/engine/containers/resource-limits.js';

describe('the server settings of container limits (LAYERLAB_*)', () => {
  it("defaults to a lesson's limits, the simulator's too", () => {
    expect(resourcePolicy(limitsFromEnv({}))).toEqual(DEFAULT_RESOURCE_POLICY);
  });

  it('takes container defaults and the session ceiling from the environment, CPUs as decimals', () => {
    const limits = limitsFromEnv({
      LAYERLAB_CONTAINER_MEMORY_BYTES: String(128 * 1024 * 1024),
      LAYERLAB_CONTAINER_PIDS: '64',
      LAYERLAB_CONTAINER_CPUS: '0.5',
      LAYERLAB_SESSION_MEMORY_BYTES: String(2 * 1024 ** 3),
      LAYERLAB_SESSION_PIDS: '1024',
      LAYERLAB_SESSION_CPUS: '1.5',
    });
    expect(resourcePolicy(limits)).toEqual({
      defaults: { memoryBytes: 128 * 1024 * 1024, pids: 64, cpus: 0.5 },
      ceiling: { memoryBytes: 2 * 1024 ** 3, pids: 1024, cpus: 1.5 },
    });
  });

  it('refuses a container default above the session ceiling, and nonsense', () => {
    expect(() => limitsFromEnv({ LAYERLAB_CONTAINER_PIDS: '600' })).toThrow(/LAYERLAB_CONTAINER_PIDS \(600\) is above LAYERLAB_SESSION_PIDS \(512\)/);
    expect(() => limitsFromEnv({ LAYERLAB_SESSION_CPUS: '0' })).toThrow(/LAYERLAB_SESSION_CPUS must be a number of CPUs/);
    expect(() => limitsFromEnv({ LAYERLAB_CONTAINER_PIDS: '1.5' })).toThrow(/must be a positive integer/);
    expect(() => resourcePolicy({ ...DEFAULT_LIMITS, containerMemoryBytes: 1024 })).toThrow(/at least 6291456/);
  });
});
