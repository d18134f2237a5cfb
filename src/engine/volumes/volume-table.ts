import type { VolumeStore } from '../drivers/volume-store.js';
import type { EngineEvent } from '../events.js';
import { NoSuchVolume } from './volume-errors.js';
import { checkVolumeName } from './volume-name.js';

/** moby: the label an anonymous volume carries (`-v /path`, an image's VOLUME), which `volume prune` and `rm -v` look for. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export interface VolumeRecord {
  name: string;
  /** ms since the epoch (`CreatedAt`). */
  createdAt: number;
  labels: Record<string, string>;
  /** The store's directory: inspect's `Mountpoint`, the runtime's bind source. */
  mountpoint: string;
}

export function isAnonymous(v: VolumeRecord): boolean {
  return ANONYMOUS_LABEL in v.labels;
}

/**
 * The session's volumes (moby's volume service over the `local` driver): names, labels and
 * when each was made, kept by the engine; their files are the `VolumeStore`'s. Who uses one
 * is the containers' to say (`ContainerManager.volumeUsers`).
 */
export class VolumeTable {
  readonly #volumes = new Map<string, VolumeRecord>();

  constructor(private readonly deps: { store: VolumeStore; now: () => number; random: () => number; emit: (event: EngineEvent) => void }) {}

  /** `docker volume create [name]`: a name held already is that volume (Docker returns it, labels and all). */
  async create(name?: string, labels: Record<string, string> = {}): Promise<VolumeRecord> {
    const checked = name === undefined ? this.#anonymousName() : checkVolumeName(name);
    const held = this.#volumes.get(checked);
    if (held) return held;
    const mountpoint = await this.deps.store.create(checked);
    const record: VolumeRecord = { name: checked, createdAt: this.deps.now(), labels: { ...labels }, mountpoint };
    this.#volumes.set(checked, record);
    this.deps.emit({ type: 'volume.created', name: checked });
    return record;
  }

  /** An anonymous volume (moby: a random 64-hex name and the anonymous label). */
  createAnonymous(): Promise<VolumeRecord> {
    return this.create(undefined, { [ANONYMOUS_LABEL]: '' });
  }

  has(name: string): boolean {
    return this.#volumes.has(name);
  }

  get(name: string): VolumeRecord {
    const v = this.#volumes.get(name);
    if (!v) throw new NoSuchVolume(`get ${name}: no such volume`, { name: name.slice(0, 200) });
    return v;
  }

  /** By name, as `docker volume ls` sorts them (docker/cli: natural order, which for these names is the byte order of their runs). */
  list(): VolumeRecord[] {
    return [...this.#volumes.values()].sort((a, b) => naturalCompare(a.name, b.name));
  }

  /** Removes it; whether a container still uses it is the caller's check. */
  async remove(name: string): Promise<void> {
    this.get(name);
    await this.deps.store.remove(name);
    this.#volumes.delete(name);
    this.deps.emit({ type: 'volume.removed', name });
  }

  #anonymousName(): string {
    let name: string;
    do name = Array.from({ length: 64 }, () => Math.floor(this.deps.random() * 16).toString(16)).join('');
    while (this.#volumes.has(name));
    return name;
  }
}

/** docker/cli's sortorder.NaturalLess: runs of digits compare by value, the rest byte by byte. */
function naturalCompare(a: string, b: string): number {
  const runs = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const ra = runs(a);
  const rb = runs(b);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y);
    if (nx && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length;
}
