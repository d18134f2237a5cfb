import type { ResourceLimits } from '../drivers/runtime.js';
import { InvalidResourceLimit, ResourceLimitAboveCeiling } from './container-errors.js';

/** Memory, PIDs and CPUs: what every container and build step gets, or may ask for at most. */
export interface ResourceAmounts {
  memoryBytes: number;
  pids: number;
  /** CPUs, as `--cpus` counts them (1.5 = one and a half cores of CFS quota). */
  cpus: number;
}

/**
 * The limits a backend enforces: `defaults` for a container (or a build's RUN step) that
 * asks for none, and the `ceiling` of the learner's session — the most one container may
 * ask for, and (on Linux) the cgroup every container of the session shares.
 */
export interface ResourcePolicy {
  defaults: ResourceAmounts;
  ceiling: ResourceAmounts;
}

const MiB = 1024 * 1024;

/**
 * A lesson's container needs a shell and a few applets: 256 MiB and 256 PIDs stop a
 * fork or memory bomb long before the host notices. The session's ceiling holds its
 * tmpfs disk too (written pages are charged to the writer's memory cgroup).
 */
export const DEFAULT_RESOURCE_POLICY: ResourcePolicy = {
  defaults: { memoryBytes: 256 * MiB, pids: 256, cpus: 1 },
  ceiling: { memoryBytes: 1024 * MiB, pids: 512, cpus: 1 },
};

/** moby daemon_unix.go `linuxMinMemory`. */
export const MIN_MEMORY_BYTES = 6 * MiB;

/** What a learner asked for on `docker run`/`create`, as Docker's HostConfig holds it (0 / null: not set). */
export interface RequestedResources {
  memory: number;
  /** Memory + swap; -1 unlimited swap. */
  memorySwap: number;
  pidsLimit: number | null;
  nanoCpus: number;
}

/**
 * Refuses what Docker's daemon refuses (moby `verifyPlatformContainerResources`), in its
 * words, and what is above the session's ceiling — where Docker's daemon would take the
 * host's, so its CPU message already fits. Called at create, as Docker validates there.
 */
export function checkResources(requested: RequestedResources, policy: ResourcePolicy): void {
  const { ceiling } = policy;
  if (requested.memory !== 0 && requested.memory < MIN_MEMORY_BYTES) {
    throw new InvalidResourceLimit('Minimum memory limit allowed is 6MB', { resource: 'memory', requested: requested.memory });
  }
  if (requested.memory > ceiling.memoryBytes) {
    throw new ResourceLimitAboveCeiling(`Maximum memory limit allowed is ${megabytes(ceiling.memoryBytes)} in this sandbox`, {
      resource: 'memory',
      requested: requested.memory,
      ceiling: ceiling.memoryBytes,
    });
  }
  // moby: swap is memory + swap, so never below the memory, and never without it.
  if (requested.memory > 0 && requested.memorySwap > 0 && requested.memorySwap < requested.memory) {
    throw new InvalidResourceLimit('Minimum memoryswap limit should be larger than memory limit, see usage', {
      resource: 'memorySwap',
      requested: requested.memorySwap,
    });
  }
  if (requested.memory === 0 && requested.memorySwap > 0) {
    throw new InvalidResourceLimit('You should always set the Memory limit when using Memoryswap limit, see usage', {
      resource: 'memorySwap',
      requested: requested.memorySwap,
    });
  }
  // Swap counts against the session's memory: unlimited swap (-1) is above any ceiling.
  if (requested.memorySwap < 0 || requested.memorySwap > ceiling.memoryBytes) {
    throw new ResourceLimitAboveCeiling(`Maximum memory+swap limit allowed is ${megabytes(ceiling.memoryBytes)} in this sandbox`, {
      resource: 'memorySwap',
      requested: requested.memorySwap,
      ceiling: ceiling.memoryBytes,
    });
  }
  // Docker 28: a PIDs limit of 0 or less is "unlimited", which no session may have.
  if (requested.pidsLimit !== null && (requested.pidsLimit <= 0 || requested.pidsLimit > ceiling.pids)) {
    throw new ResourceLimitAboveCeiling(`Maximum PIDs limit allowed is ${ceiling.pids} in this sandbox`, {
      resource: 'pids',
      requested: requested.pidsLimit,
      ceiling: ceiling.pids,
    });
  }
  if (requested.nanoCpus < 0 || requested.nanoCpus > ceiling.cpus * 1e9) {
    // moby: "Range of CPUs is from 0.01 to %d.00, as there are only %d CPUs available" — the session's CPUs here.
    const error = requested.nanoCpus < 0 ? InvalidResourceLimit : ResourceLimitAboveCeiling;
    throw new error(`Range of CPUs is from 0.01 to ${ceiling.cpus.toFixed(2)}, as there are only ${ceiling.cpus} CPUs available`, {
      resource: 'cpus',
      requested: requested.nanoCpus / 1e9,
      ceiling: ceiling.cpus,
    });
  }
}

/** The limits a container runs with: what the learner asked for, else the defaults. */
export function containerLimits(requested: RequestedResources, policy: ResourcePolicy): ResourceLimits {
  const { defaults } = policy;
  return {
    memoryBytes: requested.memory || defaults.memoryBytes,
    // Swap included: memory + swap is the memory limit, unless the learner asked for swap above it.
    ...(requested.memorySwap > 0 ? { memorySwapBytes: requested.memorySwap } : {}),
    pids: requested.pidsLimit ?? defaults.pids,
    cpus: requested.nanoCpus ? requested.nanoCpus / 1e9 : defaults.cpus,
  };
}

/** A build's RUN step asks for nothing (`docker build` here takes no resource flags): it runs with the defaults. */
export const NO_REQUESTED_RESOURCES: RequestedResources = { memory: 0, memorySwap: 0, pidsLimit: null, nanoCpus: 0 };

/** Docker writes MiB as "MB" ("Minimum memory limit allowed is 6MB"). */
function megabytes(bytes: number): string {
  return Number.isInteger(bytes / MiB) ? `${bytes / MiB}MB` : `${bytes}B`;
}
