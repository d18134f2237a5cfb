import { RegistryClient } from '../../src/engine/registry/registry-client.js';
import { seedImage, type SeedImage } from '../../src/engine/registry/seeded-images.js';
import type { SandboxMissing } from '../prereqs.js';
import type { ResourceTracker } from './cleanup.js';
import { registryPaths } from './registry-config.js';
import { namespaceUsage, removeNamespace, sweepNamespaces, sweepRegistryLeftovers, type NamespaceOwners } from './registry-cleanup.js';
import { CLASS_NAMESPACE, type ClassAccess } from './registry-class-namespace.js';
import { RegistryGate } from './registry-gate.js';
import { sessionPrefix, workshopPrefix } from './registry-names.js';
import { RegistryDown, RegistryProcess, registryBinary, writeRegistryConfig, type RegistryLog } from './registry-process.js';
import { SessionRegistryTransport } from './registry-transport.js';
import type { RegistryQuota, RegistryUsage } from './registry-usage.js';
import type { WorkshopSeat } from '../sessions/session.js';
import { DEFAULT_WORKSHOP_LIMITS } from '../workshops/workshop-limits.js';

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
  /** What one workshop's class namespace may keep, all its learners together (workshop-limits.ts, `LAYERLAB_REGISTRY_WORKSHOP_*`). */
  workshopQuota?: RegistryQuota;
  /**
   * The ids of the workshops that exist (the workshop store): a class namespace of any other is a
   * leftover the sweeps remove. Without it, or while it fails, every class namespace stays.
   */
  workshops?: () => Promise<Iterable<string>>;
  /** How often the running registry is swept of what no live session or existing workshop owns (default 10 min). */
  sweepIntervalMs?: number;
}

const SWEEP_INTERVAL_MS = 10 * 60_000;

/** The seeded images' namespace: not a session's (`s-…`), so the start's sweep and a session's removal leave it. */
export const SEED_PREFIX = 'seed';

/**
 * The sandbox's registry: one `docker-registry` process for the server (registry-process.ts),
 * a namespace per session reached only through that session's transport, and the namespace
 * removed when the session ends (registry-cleanup.ts).
 */
export class RegistryHost {
  private readonly gate = new RegistryGate();
  /** Each workshop's class-namespace usage, read from disk the first time one of its learners needs it. */
  private readonly workshops = new Map<string, Promise<RegistryUsage>>();
  /** The prefixes of the sessions given a transport and not yet removed: the sweeps keep these. */
  private readonly liveSessions = new Set<string>();
  private sweeping: Promise<{ namespaces: string[]; blobs: number }> | undefined;
  private readonly timer: ReturnType<typeof setInterval>;

  private constructor(
    private readonly child: RegistryProcess,
    private readonly storage: string,
    private readonly workshopQuota: RegistryQuota,
    private readonly existingWorkshops: RegistryHostOptions['workshops'],
    sweepIntervalMs: number,
  ) {
    // A removal that failed (its error logged by the session's close or the workshop's DELETE) is retried here, not left for the next start.
    this.timer = setInterval(
      () => void this.sweep().catch((error: unknown) => this.log.error({ err: error }, 'registry sweep failed')),
      sweepIntervalMs,
    );
    this.timer.unref();
    // A registry that died may have moved an upload into place without linking it; and it is a moment nobody is writing.
    child.onRestart = () => void this.sweep().catch((error: unknown) => this.log.error({ err: error }, 'registry sweep failed'));
  }

  /** Sweeps what an earlier run left in the registry's storage (registry stopped), then starts it. */
  static async open(options: RegistryHostOptions): Promise<RegistryHost> {
    const binary = options.binary ?? registryBinary();
    if (!binary) throw new RegistryDown('docker-registry is not installed (apt-get install docker-registry)');
    const paths = registryPaths(options.stateDir);
    await writeRegistryConfig(options.stateDir);
    const workshops = await workshopPrefixes(options.workshops, options.log);
    const swept = await sweepRegistryLeftovers(binary, paths.storage, paths.config, workshops);
    if (swept.namespaces > 0)
      options.log?.warn({ namespaces: swept.namespaces }, "removed the registry namespaces of an earlier run's sessions and of deleted workshops");
    const child = await RegistryProcess.start({ ...options, binary });
    const host = new RegistryHost(
      child,
      paths.storage,
      options.workshopQuota ?? {
        bytes: DEFAULT_WORKSHOP_LIMITS.registryBytes,
        repositories: DEFAULT_WORKSHOP_LIMITS.registryRepositories,
      },
      options.workshops,
      options.sweepIntervalMs ?? SWEEP_INTERVAL_MS,
    );
    try {
      const client = new RegistryClient(host.seedTransport(), 'localhost:5000');
      const compressed = new Map();
      for (const seed of options.seeds ?? []) await seedImage(client, seed, compressed);
    } catch (error) {
      await host.stop();
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

  /**
   * The transport of one session: its requests under its own prefix, within `quota`; a workshop
   * learner's also reach their workshop's class namespace while it is open.
   */
  transport(sessionId: string, quota: RegistryQuota, seat?: WorkshopSeat): SessionRegistryTransport {
    const prefix = sessionPrefix(sessionId);
    this.liveSessions.add(prefix);
    return new SessionRegistryTransport({
      prefix,
      origin: () => this.child.origin(),
      gate: this.gate,
      quota,
      seedPrefix: SEED_PREFIX,
      ...(seat ? { classAccess: this.classAccess(seat) } : {}),
    });
  }

  private classAccess(seat: WorkshopSeat): ClassAccess {
    const prefix = workshopPrefix(seat.workshopId);
    return {
      prefix,
      handle: seat.handle,
      open: seat.sharedOpen,
      usage: () => {
        let usage = this.workshops.get(seat.workshopId);
        if (!usage) {
          usage = namespaceUsage(this.storage, prefix, `${CLASS_NAMESPACE}/`, this.workshopQuota, "this workshop's class namespace");
          this.workshops.set(seat.workshopId, usage);
          // A failed read is not remembered: the next request reads again.
          usage.catch(() => this.workshops.delete(seat.workshopId));
        }
        return usage;
      },
    };
  }

  /** The seed namespace's own transport: the server's, never a learner's, so no quota. */
  private seedTransport(): SessionRegistryTransport {
    const quota = { bytes: Number.MAX_SAFE_INTEGER, repositories: Number.MAX_SAFE_INTEGER };
    return new SessionRegistryTransport({ prefix: SEED_PREFIX, origin: () => this.child.origin(), gate: this.gate, quota });
  }

  /** The session's repositories and the blobs only they linked, gone from the registry and its disk. */
  async removeSession(sessionId: string): Promise<{ blobs: number }> {
    const prefix = sessionPrefix(sessionId);
    // No longer live whatever the removal does: if it fails, the next sweep takes what it left.
    this.liveSessions.delete(prefix);
    return removeNamespace(this.storage, prefix, this.gate);
  }

  /**
   * A deleted workshop's class namespace — what its learners shared, which outlived their
   * sessions — and the blobs only it linked, gone from the registry and its disk.
   */
  async removeWorkshop(workshopId: string): Promise<{ blobs: number }> {
    this.workshops.delete(workshopId);
    return removeNamespace(this.storage, workshopPrefix(workshopId), this.gate);
  }

  /**
   * Removes what no live session and no existing workshop owns, and every blob no repository
   * links (registry-cleanup.ts `sweepNamespaces`); run every `sweepIntervalMs` and after each
   * restart of the registry. One at a time: a call while one runs gets that one.
   */
  sweep(): Promise<{ namespaces: string[]; blobs: number }> {
    this.sweeping ??= sweepNamespaces(this.storage, this.gate, () => this.owners())
      .then((swept) => {
        for (const id of this.workshops.keys()) if (swept.namespaces.includes(workshopPrefix(id))) this.workshops.delete(id);
        if (swept.namespaces.length > 0 || swept.blobs > 0)
          this.log.warn({ namespaces: swept.namespaces.length, blobs: swept.blobs }, 'swept registry namespaces no live session or workshop owns');
        return swept;
      })
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async owners(): Promise<NamespaceOwners> {
    const workshops = await workshopPrefixes(this.existingWorkshops, this.log);
    return { sessions: new Set(this.liveSessions), ...(workshops ? { workshops } : {}) };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.child.onRestart = undefined;
    await this.sweeping?.catch(() => undefined);
    await this.child.stop();
  }
}

/** The prefixes of the workshops that exist; undefined when there is no store to ask or it fails (then no class namespace is removed). */
async function workshopPrefixes(workshops: RegistryHostOptions['workshops'], log: RegistryLog | undefined): Promise<ReadonlySet<string> | undefined> {
  if (!workshops) return undefined;
  try {
    return new Set([...(await workshops())].map(workshopPrefix));
  } catch (error) {
    log?.warn({ err: error }, 'the workshop store did not answer; class namespaces are kept until the next sweep');
    return undefined;
  }
}
