import type { EngineLimits } from '../../src/engine/create-engine.js';
import { DEFAULT_RESOURCE_POLICY, MIN_MEMORY_BYTES, type ResourcePolicy } from '../../src/engine/containers/resource-limits.js';
import { DEFAULT_OUTPUT_BYTES_PER_SECOND } from '../linux/output-pace.js';

/**
 * What one sandbox server allows. Every number is a bound on what one learner (or one
 * address) can make the server hold: sessions, containers, disk, time, output.
 */
export interface SessionLimits {
  /** A session nobody used for this long is removed (default 30 min). */
  idleTimeoutMs: number;
  /** How often expired sessions are looked for. */
  sweepIntervalMs: number;
  /** Sandboxes this server holds at once: from its memory and disk (capacity.ts) unless LAYERLAB_MAX_SESSIONS says. */
  maxSessions: number;
  /** Live sessions one client address may hold (a class behind one NAT is one address: a workshop raises it). */
  maxSessionsPerAddress: number;
  maxContainersPerSession: number;
  /** `docker build`s one session may run at the same time. */
  maxConcurrentBuilds: number;
  /** Size of a session's tmpfs state root: its snapshots, blobs and files (default 512 MiB). */
  stateBytes: number;
  /** Wall-clock limit for one foreground command. */
  commandTimeoutMs: number;
  /** Wall-clock limit for a command attached to a terminal (`-it` over the WebSocket). */
  interactiveTimeoutMs: number;
  /** After a timed-out command is interrupted, how long it gets to finish before we answer anyway. */
  interruptGraceMs: number;
  /** stdout + stderr kept for one command; past it the command is interrupted. */
  maxOutputBytes: number;
  /** Commands one session may run at the same time (HTTP and WebSocket together). */
  maxConcurrentCommands: number;
  /** One build-context file. */
  maxFileBytes: number;
  /** Output kept per container for `docker logs` (json-file's `max-size`; default 1 MiB). */
  maxLogBytes: number;
  /** How fast the server reads the output of one session's containers (output-pace.ts; default 4 MiB/s, as a burst too). */
  outputBytesPerSecond: number;
  /** Session creations per client address: a burst, refilled at `createPerMinute`. */
  createBurst: number;
  createPerMinute: number;
  /** Each container's and build step's memory (swap included), PIDs and CPUs, unless the learner asks for less or more (`-m`, `--pids-limit`, `--cpus`). */
  containerMemoryBytes: number;
  containerPids: number;
  containerCpus: number;
  /** The session's ceiling: its cgroup holds all its containers (and the pages they write to its tmpfs); no container may ask for more. */
  sessionMemoryBytes: number;
  sessionPids: number;
  sessionCpus: number;
  /** What one session may keep in the sandbox's registry (its distinct blobs and manifests, and uploads under way; default 256 MiB)… */
  registryBytes: number;
  /** …and in how many repositories (default 20). */
  registryRepositories: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  idleTimeoutMs: 30 * 60_000,
  sweepIntervalMs: 60_000,
  maxSessions: 300,
  // A learner's tabs and lesson pages, each a session until it idles out.
  maxSessionsPerAddress: 20,
  maxContainersPerSession: 20,
  maxConcurrentBuilds: 1,
  stateBytes: 512 * 1024 * 1024,
  commandTimeoutMs: 60_000,
  interactiveTimeoutMs: 15 * 60_000,
  interruptGraceMs: 3_000,
  maxOutputBytes: 1024 * 1024,
  maxConcurrentCommands: 4,
  maxFileBytes: 1024 * 1024,
  maxLogBytes: 1024 * 1024,
  outputBytesPerSecond: DEFAULT_OUTPUT_BYTES_PER_SECOND,
  // A workshop's learners often share one NAT address, so the bucket is generous.
  createBurst: 60,
  createPerMinute: 30,
  containerMemoryBytes: DEFAULT_RESOURCE_POLICY.defaults.memoryBytes,
  containerPids: DEFAULT_RESOURCE_POLICY.defaults.pids,
  containerCpus: DEFAULT_RESOURCE_POLICY.defaults.cpus,
  sessionMemoryBytes: DEFAULT_RESOURCE_POLICY.ceiling.memoryBytes,
  sessionPids: DEFAULT_RESOURCE_POLICY.ceiling.pids,
  sessionCpus: DEFAULT_RESOURCE_POLICY.ceiling.cpus,
  registryBytes: 256 * 1024 * 1024,
  registryRepositories: 20,
};

const ENV_KEYS: Record<string, keyof SessionLimits> = {
  LAYERLAB_SESSION_IDLE_MS: 'idleTimeoutMs',
  LAYERLAB_MAX_SESSIONS: 'maxSessions',
  LAYERLAB_MAX_CONTAINERS: 'maxContainersPerSession',
  LAYERLAB_MAX_BUILDS: 'maxConcurrentBuilds',
  LAYERLAB_SESSION_BYTES: 'stateBytes',
  LAYERLAB_COMMAND_TIMEOUT_MS: 'commandTimeoutMs',
  LAYERLAB_MAX_OUTPUT_BYTES: 'maxOutputBytes',
  LAYERLAB_MAX_FILE_BYTES: 'maxFileBytes',
  LAYERLAB_MAX_LOG_BYTES: 'maxLogBytes',
  LAYERLAB_OUTPUT_BYTES_PER_SECOND: 'outputBytesPerSecond',
  LAYERLAB_SESSIONS_PER_MINUTE: 'createPerMinute',
  LAYERLAB_SESSIONS_PER_ADDRESS: 'maxSessionsPerAddress',
  LAYERLAB_CONTAINER_MEMORY_BYTES: 'containerMemoryBytes',
  LAYERLAB_CONTAINER_PIDS: 'containerPids',
  LAYERLAB_CONTAINER_CPUS: 'containerCpus',
  LAYERLAB_SESSION_MEMORY_BYTES: 'sessionMemoryBytes',
  LAYERLAB_SESSION_PIDS: 'sessionPids',
  LAYERLAB_SESSION_CPUS: 'sessionCpus',
  LAYERLAB_REGISTRY_BYTES: 'registryBytes',
  LAYERLAB_REGISTRY_REPOSITORIES: 'registryRepositories',
};

/** What a session's engine itself holds at most. */
export function engineLimits(limits: SessionLimits): EngineLimits {
  // What unpacks past the session's disk could not be stored there anyway.
  return {
    logBytes: limits.maxLogBytes,
    unpackBytes: limits.stateBytes,
    maxContainers: limits.maxContainersPerSession,
    maxConcurrentBuilds: limits.maxConcurrentBuilds,
  };
}
/** CPUs are counted as `--cpus` counts them: 0.5 is half a core. */
const DECIMAL_KEYS = new Set<keyof SessionLimits>(['containerCpus', 'sessionCpus']);

/** The limits, with any overridden by `LAYERLAB_*` environment variables. */
export function limitsFromEnv(env: Record<string, string | undefined>): SessionLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (DECIMAL_KEYS.has(key)) {
      // The CFS quota is whole microseconds of a 100 ms period, at least 1 ms.
      if (!Number.isFinite(value) || value < 0.01) throw new Error(`${name} must be a number of CPUs, at least 0.01, got ${JSON.stringify(raw)}`);
    } else if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    limits[key] = value;
  }
  resourcePolicy(limits);
  return limits;
}

/** The container defaults and the session ceiling as the engine takes them; a default above the ceiling is refused. */
export function resourcePolicy(limits: SessionLimits): ResourcePolicy {
  const policy: ResourcePolicy = {
    defaults: { memoryBytes: limits.containerMemoryBytes, pids: limits.containerPids, cpus: limits.containerCpus },
    ceiling: { memoryBytes: limits.sessionMemoryBytes, pids: limits.sessionPids, cpus: limits.sessionCpus },
  };
  for (const [key, env] of [
    ['memoryBytes', 'MEMORY_BYTES'],
    ['pids', 'PIDS'],
    ['cpus', 'CPUS'],
  ] as const) {
    if (policy.defaults[key] > policy.ceiling[key]) {
      throw new Error(
        `LAYERLAB_CONTAINER_${env} (${policy.defaults[key]}) is above LAYERLAB_SESSION_${env} (${policy.ceiling[key]}): a container's default must fit in its session`,
      );
    }
  }
  if (policy.defaults.memoryBytes < MIN_MEMORY_BYTES)
    throw new Error(`LAYERLAB_CONTAINER_MEMORY_BYTES must be at least ${MIN_MEMORY_BYTES} (Docker's minimum)`);
  return policy;
}
