import type { Digest } from '../digest.js';
import type { ImageRecord } from '../images/image-store.js';
import { generateName, VALID_CONTAINER_NAME } from '../names.js';
import { AmbiguousContainer, ContainerNameConflict, ContainerStateError, NoSuchContainer } from './container-errors.js';
import type { ContainerRecord } from './container-record.js';

/** The engine's containers by ID, and Docker's ways of naming and finding one. */
export class ContainerTable {
  private readonly byId = new Map<string, ContainerRecord>();

  add(c: ContainerRecord): void {
    this.byId.set(c.id, c);
  }

  /** False when it was gone already. */
  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Docker's container lookup: full ID, exact name, then a unique ID prefix. */
  get(ref: string): ContainerRecord {
    const byId = this.byId.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('/') ? ref.slice(1) : ref;
    for (const c of this.byId.values()) if (c.name === name) return c;
    if (/^[a-f0-9]+$/.test(ref)) {
      const matches = [...this.byId.values()].filter((c) => c.id.startsWith(ref));
      if (matches.length > 1) throw new AmbiguousContainer(`Multiple IDs found with provided prefix: ${ref}`, { ref });
      if (matches[0]) return matches[0];
    }
    throw new NoSuchContainer(`No such container: ${ref}`, { ref });
  }

  /** Newest first, as `docker ps` lists them. */
  list(): ContainerRecord[] {
    // Map order is creation order: reversed, it breaks ties of equal creation times.
    return [...this.byId.values()].reverse().sort((a, b) => b.created - a.created);
  }

  /** In creation order, a copy: safe to remove from while walking it. */
  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  /** `--name` as Docker checks it: valid, and no other container's (a leading `/` is the API's form). */
  checkName(requested: string): string {
    if (!VALID_CONTAINER_NAME.test(requested)) {
      throw new ContainerStateError('INVALID_CONTAINER_NAME', `Invalid container name (${requested}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    }
    const name = requested.replace(/^\//, '');
    const owner = [...this.byId.values()].find((c) => c.name === name);
    if (owner) {
      throw new ContainerNameConflict(
        `Conflict. The container name "/${name}" is already in use by container "${owner.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        { name, id: owner.id },
      );
    }
    return name;
  }

  /** Docker's `adjective_surname`, one no container has. */
  newName(random: () => number): string {
    return generateName(random, (n) => this.nameTaken(n));
  }

  /** 64 hex digits; Docker draws again when the short ID would read as a number. */
  newId(random: () => number): string {
    for (;;) {
      let id = '';
      for (let i = 0; i < 64; i++) id += Math.floor(random() * 16).toString(16);
      if (/^[0-9]+$/.test(id.slice(0, 12))) continue;
      if (!this.byId.has(id)) return id;
    }
  }

  /** Whether a container's layer sits on this chainID (so the layer must stay). */
  usesLayer(chainId: Digest): boolean {
    for (const c of this.byId.values()) if (c.image.chainIds.includes(chainId)) return true;
    return false;
  }

  usersOf(image: ImageRecord): ContainerRecord[] {
    return this.list().filter((c) => c.image === image);
  }

  private nameTaken(name: string): boolean {
    for (const c of this.byId.values()) if (c.name === name) return true;
    return false;
  }
}
