import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './command.js';
import { isNotFound } from './fs-content-store.js';
import type { RegistryGate } from './registry-gate.js';
import { SESSION_PREFIX_PATTERN, WORKSHOP_PREFIX_PATTERN } from './registry-names.js';
import { RegistryUsage, type RegistryQuota } from './registry-usage.js';

/** distribution 2.8's filesystem layout below `rootdirectory` (registry/storage/paths.go). */
function layout(storage: string) {
  const v2 = join(storage, 'docker/registry/v2');
  return { repositories: join(v2, 'repositories'), blobs: join(v2, 'blobs/sha256') };
}

/** A repository's dir holds these; a dir without them is a path component of longer names. */
const REPOSITORY_PARTS = ['_layers', '_manifests', '_uploads'];

async function dirNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/**
 * The blobs the repositories below `dir` link: their layers (`_layers/sha256/<hex>/link`) and
 * their manifests' revisions (`_manifests/revisions/sha256/<hex>/link`, a manifest is a blob).
 */
async function linkedBlobs(dir: string, into = new Set<string>(), depth = 0): Promise<Set<string>> {
  const names = await dirNames(dir);
  if (names.some((n) => REPOSITORY_PARTS.includes(n))) {
    for (const hex of await dirNames(join(dir, '_layers/sha256'))) into.add(hex);
    for (const hex of await dirNames(join(dir, '_manifests/revisions/sha256'))) into.add(hex);
  }
  // distribution: a name is at most 255 characters, so at most 128 components.
  if (depth < 128) for (const name of names.filter((n) => !REPOSITORY_PARTS.includes(n))) await linkedBlobs(join(dir, name), into, depth + 1);
  return into;
}

/**
 * Removes a session's namespace (or a deleted workshop's class namespace) from the registry's disk while the registry runs: its
 * repositories' dir (manifests, tags, layer links, unfinished uploads — every repository
 * below the prefix in one step), then each blob it linked that no other repository links.
 *
 * Why not the registry's own tools, for distribution 2.8: the manifest DELETE API removes a
 * revision's and its tags' links but leaves the layer links and the repository (the catalog
 * still lists it), and `registry garbage-collect` marks only from manifests, so it deletes the
 * blobs of a push under way in any other session (uploaded, not yet named by a manifest) —
 * distribution documents it as safe only on a stopped or read-only registry. Here the gate
 * holds every write back while the links are read and the blobs deleted, and a blob another
 * repository links is kept, so no other session loses a byte. It runs without a cache in the
 * registry (registry-config.ts), which would otherwise remember a deleted blob as present.
 */
export async function removeNamespace(storage: string, prefix: string, gate: RegistryGate): Promise<{ blobs: number }> {
  if (!SESSION_PREFIX_PATTERN.test(prefix) && !WORKSHOP_PREFIX_PATTERN.test(prefix))
    throw new Error(`not a namespace's prefix: ${JSON.stringify(prefix)}`);
  const { repositories, blobs } = layout(storage);
  return gate.exclusive(async () => {
    const mine = await linkedBlobs(join(repositories, prefix));
    await rm(join(repositories, prefix), { recursive: true, force: true });
    if (mine.size === 0) return { blobs: 0 };
    const kept = await linkedBlobs(repositories);
    let removed = 0;
    for (const hex of mine) {
      if (kept.has(hex) || !/^[0-9a-f]{64}$/.test(hex)) continue;
      await rm(join(blobs, hex.slice(0, 2), hex), { recursive: true, force: true });
      removed++;
    }
    return { blobs: removed };
  });
}

/** Who owns the namespaces a sweep may remove, by their prefixes on the registry (registry-names.ts). */
export interface NamespaceOwners {
  /** The sessions that are live now. */
  sessions: ReadonlySet<string>;
  /** The workshops that exist; undefined when that is not known (no store, or it did not answer): then every class namespace stays. */
  workshops?: ReadonlySet<string>;
}

/** Whether a top-level namespace is a session's or a workshop's that no longer is; the seeds and any other name are never a sweep's. */
export function ownerless(prefix: string, owners: NamespaceOwners): boolean {
  if (SESSION_PREFIX_PATTERN.test(prefix)) return !owners.sessions.has(prefix);
  if (WORKSHOP_PREFIX_PATTERN.test(prefix)) return owners.workshops !== undefined && !owners.workshops.has(prefix);
  return false;
}

/**
 * At start, before the registry serves: every session namespace is a leftover of an earlier
 * run (sessions do not outlive their server), and so is the class namespace of a workshop
 * deleted while this server had no registry or died before removing it; each goes, and then
 * `garbage-collect` deletes every blob no manifest names — safe now, with the registry stopped,
 * as distribution asks; it also takes what a crash left between a namespace's removal and its blobs'.
 */
export async function sweepRegistryLeftovers(
  binary: string,
  storage: string,
  config: string,
  workshops?: ReadonlySet<string>,
): Promise<{ namespaces: number }> {
  const { repositories, blobs } = layout(storage);
  const owners = { sessions: new Set<string>(), ...(workshops ? { workshops } : {}) };
  const leftovers = (await dirNames(repositories)).filter((n) => ownerless(n, owners));
  for (const prefix of leftovers) await rm(join(repositories, prefix), { recursive: true, force: true });
  // garbage-collect fails on a storage that never held a repository or a blob ("Path not found").
  await mkdir(repositories, { recursive: true });
  await mkdir(blobs, { recursive: true });
  await runCommand(binary, ['garbage-collect', '--delete-untagged', config]);
  return { namespaces: leftovers.length };
}

/**
 * While the registry runs: the namespaces no live session and no existing workshop owns — a
 * removal that failed, a workshop deleted while the registry was not there — and every blob no
 * repository links (what such a removal left, or a registry that died between moving an
 * upload into place and linking it). Under the gate, as a removal: the owners are asked once
 * no write is under way and none starts until the sweep ends, so a namespace written to is
 * one whose owner was live when asked, and a blob a write linked is seen linked.
 */
export async function sweepNamespaces(
  storage: string,
  gate: RegistryGate,
  owners: () => Promise<NamespaceOwners>,
): Promise<{ namespaces: string[]; blobs: number }> {
  const { repositories, blobs } = layout(storage);
  return gate.exclusive(async () => {
    const known = await owners();
    const gone = (await dirNames(repositories)).filter((n) => ownerless(n, known));
    for (const prefix of gone) await rm(join(repositories, prefix), { recursive: true, force: true });
    const linked = await linkedBlobs(repositories);
    let removed = 0;
    for (const two of await dirNames(blobs)) {
      for (const hex of await dirNames(join(blobs, two))) {
        if (linked.has(hex) || !/^[0-9a-f]{64}$/.test(hex) || !hex.startsWith(two)) continue;
        await rm(join(blobs, two, hex), { recursive: true, force: true });
        removed++;
      }
    }
    return { namespaces: gone, blobs: removed };
  });
}

/**
 * What a workshop's class namespace holds on disk, as its bound counts it: the blobs its
 * repositories link (each blob's size from its data file) and those repositories by the
 * learners' names (`class/<handle>/<name>`). Read once per workshop and server run, so the
 * bound holds across restarts; kept in memory from then on.
 */
export async function namespaceUsage(
  storage: string,
  prefix: string,
  learnerPrefix: string,
  quota: RegistryQuota,
  owner: string,
): Promise<RegistryUsage> {
  const { repositories, blobs } = layout(storage);
  const usage = new RegistryUsage(quota, owner);
  const root = join(repositories, prefix);
  for (const hex of await linkedBlobs(root)) {
    if (!/^[0-9a-f]{64}$/.test(hex)) continue;
    try {
      usage.store(`sha256:${hex}`, (await stat(join(blobs, hex.slice(0, 2), hex, 'data'))).size);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  const walk = async (dir: string, name: string, depth: number): Promise<void> => {
    const names = await dirNames(dir);
    if (name !== '' && names.some((n) => REPOSITORY_PARTS.includes(n))) usage.repositories.add(learnerPrefix + name);
    if (depth < 128)
      for (const n of names.filter((n) => !REPOSITORY_PARTS.includes(n))) await walk(join(dir, n), name === '' ? n : `${name}/${n}`, depth + 1);
  };
  await walk(root, '', 0);
  return usage;
}
