/** What one server allows workshops, whatever an instructor or a learner asks. */
export interface WorkshopLimits {
  /** Learners one workshop takes at most; an instructor may ask for fewer (`LAYERLAB_WORKSHOP_MAX_LEARNERS`). */
  maxLearners: number;
  /** Joins per client address: a burst, refilled at `joinsPerMinute`. A room behind one NAT address is one address, so the burst is a class. */
  joinBurst: number;
  joinsPerMinute: number;
  /** Workshops created per client address: a burst, refilled at `createsPerMinute`. */
  createBurst: number;
  createsPerMinute: number;
  /**
   * What one workshop's class namespace of the registry keeps, all its learners' pushes together (each also within
   * their own session's `LAYERLAB_REGISTRY_*`): `LAYERLAB_REGISTRY_WORKSHOP_BYTES`, `LAYERLAB_REGISTRY_WORKSHOP_REPOSITORIES`.
   */
  registryBytes: number;
  registryRepositories: number;
}

export const DEFAULT_WORKSHOP_LIMITS: WorkshopLimits = {
  maxLearners: 300,
  joinBurst: 300,
  joinsPerMinute: 60,
  createBurst: 10,
  createsPerMinute: 1,
  registryBytes: 2 * 1024 ** 3,
  registryRepositories: 200,
};

const ENV_KEYS: Record<string, keyof WorkshopLimits> = {
  LAYERLAB_WORKSHOP_MAX_LEARNERS: 'maxLearners',
  LAYERLAB_WORKSHOP_JOIN_BURST: 'joinBurst',
  LAYERLAB_WORKSHOP_JOINS_PER_MINUTE: 'joinsPerMinute',
  LAYERLAB_REGISTRY_WORKSHOP_BYTES: 'registryBytes',
  LAYERLAB_REGISTRY_WORKSHOP_REPOSITORIES: 'registryRepositories',
};

export function workshopLimitsFromEnv(env: Record<string, string | undefined>): WorkshopLimits {
  const limits = { ...DEFAULT_WORKSHOP_LIMITS };
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    limits[key] = value;
  }
  return limits;
}
