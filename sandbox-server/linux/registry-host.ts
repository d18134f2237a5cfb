import { RegistryClient } from '../../src/engine/registry/registry-client.js';
import { seedImage, type SeedImage } from '../../src/engine/registry/seeded-images.js';
import type { SandboxMissing } from '../prereqs.js';
import type { ResourceTracker } from './cleanup.js';
import { registryPaths } from './registry-config.js';
import { removeSessionNamespace, sweepRegistryLeftovers } from './registry-cleanup.js';
import { RegistryGate } from './registry-gate.js';
import { sessionPrefix } from './registry-names.js';
import { RegistryDown, RegistryProcess, registryBinary, writeRegistryConfig, type RegistryLog } from './registry-process.js';
import { SessionRegistryTransport, type RegistryQuota } from './registry-transport.js';

/** Whether push and pull work on this server (`/api/health`'s `registry`). */
export interface ImageRegistryStatus {
  available: boolean;
  missing: SandboxMissing[];
}

export interface RegistryHostOptions {
  stateDir: string;
  log?: RegistryLog;
  tracker?: ResourceTracker;
  binary?: string;
  /** registry-process.ts's restart bound. */
  maxRestarts?: number;
  /** The images every session can pull (seeded-images.ts), put into the seed namespace at start. */
  seeds?: readonly SeedImage[];
}

/** The seeded images' namespace: not a session's (`s-…`), so the start's sweep and a session's removal leave it. */
export const SEED_PREFIX = 'seed';

/**
 * The sandbox's registry: one `docker-registry` process for the server (registry-process.ts),
 * a namespace per session reached only through that session's transport, and the namespace
 * removed when the session ends (registry-cleanup.ts).
 */
export class RegistryHost {
  private readonly gate = new RegistryGate();

  private constructor(
    private readonly child: RegistryProcess,
    private readonly storage: string,
  ) {}

  /** Sweeps what an earlier run left in the registry's storage (registry stopped), then starts it. */
  static async open(options: RegistryHostOptions): Promise<RegistryHost> {
    const binary = options.binary ?? registryBinary();
    if (!binary) throw new RegistryDown('docker-registry is not installed (apt-get install docker-registry)');
    const paths = registryPaths(options.stateDir);
    await writeRegistryConfig(options.stateDir);
    const swept = await sweepRegistryLeftovers(binary, paths.storage, paths.config);
    if (swept.namespaces > 0) options.log?.warn({ namespaces: swept.namespaces }, "removed the registry namespaces of an earlier run's sessions");
    const child = await RegistryProcess.start({ ...options, binary });
    const host = new RegistryHost(child, paths.storage);
    try {
      const client = new RegistryClient(host.seedTransport(), 'localhost:5000');
      const compressed = new Map();
      for (const seed of options.seeds ?? []) await seedImage(client, seed, compressed);
    } catch (error) {
      await child.stop();
      throw error;
    }
    return host;
  }

  get log(): RegistryLog {
    return this.child.log;
  }

  set log(log: RegistryLog) {
    this.child.log = log;
  }

  /** The registry process (tests kill it; nothing public names its port). */
  get registryProcess(): RegistryProcess {
    return this.child;
  }

  status(): ImageRegistryStatus {
    const down = this.child.downReason;
    return down === undefined
      ? { available: true, missing: [] }
      : { available: false, missing: [{ code: 'REGISTRY_FAILED', reason: `the registry (${down})` }] };
  }

  /** The transport of one session: its requests under its own prefix, within `quota`. */
  transport(sessionId: string, quota: RegistryQuota): SessionRegistryTransport {
    return new SessionRegistryTransport({
      prefix: sessionPrefix(sessionId),
      origin: () => this.child.origin(),
      gate: this.gate,
      quota,
      seedPrefix: SEED_PREFIX,
    });
  }

  /** The seed namespace's own transport: the server's, never a learner's, so no quota. */
  private seedTransport(): SessionRegistryTransport {
    const quota = { bytes: Number.MAX_SAFE_INTEGER, repositories: Number.MAX_SAFE_INTEGER };
    return new SessionRegistryTransport({ prefix: SEED_PREFIX, origin: () => this.child.origin(), gate: this.gate, quota });
  }

  /** The session's repositories and the blobs only they linked, gone from the registry and its disk. */
  async removeSession(sessionId: string): Promise<{ blobs: number }> {
    return removeSessionNamespace(this.storage, sessionPrefix(sessionId), this.gate);
  }

  async stop(): Promise<void> {
    await this.child.stop();
  }
}
