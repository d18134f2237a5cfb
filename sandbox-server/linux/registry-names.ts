import { createHash } from 'node:crypto';
import { isRepositoryName, REPOSITORY_NAME_MAX } from '../../src/engine/registry/repository-name.js';

/** A tag (`[\w][\w.-]{0,127}`) or a digest (`algorithm:hex`, distribution's `DigestRegexp`). */
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** An upload's id in distribution's routes (`[a-zA-Z0-9-_.=]+`). */
const UPLOAD_ID = /^[a-zA-Z0-9-_.=]+$/;

/** Every session's namespace is one top-level component `s-<16 hex>`: the crash sweep finds them by it. */
export const SESSION_PREFIX_PATTERN = /^s-[0-9a-f]{16}$/;

/** A session's prefix: a hash of its id, so its namespace on the registry is its own and tells nothing of the id. */
export function sessionPrefix(sessionId: string): string {
  return `s-${createHash('sha256').update(`layerlab registry namespace\0${sessionId}`).digest('hex').slice(0, 16)}`;
}

/** A workshop's class namespace on the registry (registry-class-namespace.ts): `w-<16 hex>`, never a session's `s-…`. */
export const WORKSHOP_PREFIX_PATTERN = /^w-[0-9a-f]{16}$/;

/** A workshop's prefix: a hash of its id, as a session's is of its own. */
export function workshopPrefix(workshopId: string): string {
  return `w-${createHash('sha256').update(`layerlab registry class namespace\0${workshopId}`).digest('hex').slice(0, 16)}`;
}

/**
 * A learner's repository name that may be mapped under `prefix`: the grammar, and room for the prefix in 255 characters —
 * one rule for every name, the class namespace's too (its prefix replaces `class`, so it always has room).
 */
export function validName(name: string, prefix: string): boolean {
  return isRepositoryName(name) && prefix.length + 1 + name.length <= REPOSITORY_NAME_MAX;
}

/** What a request's path asks for, by distribution's v2 routes (registry/api/v2/routes.go). */
export type RegistryRoute =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'upload-start'; name: string }
  | { kind: 'upload'; name: string; id: string };

/** Why a path is refused before anything is forwarded: distribution's answer for it. */
export type RouteRefusal =
  { status: 400; code: 'NAME_INVALID' | 'TAG_INVALID' | 'DIGEST_INVALID'; message: string } | { status: 404; code: 'NOT_FOUND' };

/**
 * Reads a learner's `/v2/...` path (its query apart) as one of the API's routes, with the
 * name checked by the grammar before it is ever mapped. Only what the grammar allows passes:
 * no `%` escape (an encoded `/` or `.` would be decoded by the registry's router after our
 * check), no `..`, no empty component, no absolute URL, nothing that is not a route.
 */
export function parseRoute(path: string, prefix: string): RegistryRoute | RouteRefusal {
  const notFound = { status: 404, code: 'NOT_FOUND' } as const;
  if (!path.startsWith('/v2/') || /[%\\#?\s]/.test(path)) return notFound;
  const rest = path.slice('/v2/'.length);
  if (rest === '') return { kind: 'base' };
  if (rest === '_catalog') return { kind: 'catalog' };
  const parts = rest.split('/');
  const nameInvalid = { status: 400, code: 'NAME_INVALID', message: 'invalid repository name' } as const;
  const named = (tailLength: number): string | RouteRefusal => {
    const name = parts.slice(0, parts.length - tailLength).join('/');
    return validName(name, prefix) ? name : nameInvalid;
  };
  const last = parts.at(-1)!;
  const second = parts.at(-2);
  if (parts.length >= 3 && second === 'tags' && last === 'list') {
    const name = named(2);
    return typeof name === 'string' ? { kind: 'tags', name } : name;
  }
  if (parts.length >= 3 && second === 'manifests') {
    const name = named(2);
    if (typeof name !== 'string') return name;
    if (!TAG.test(last) && !DIGEST.test(last)) return { status: 400, code: 'TAG_INVALID', message: 'manifest tag did not match URI' };
    return { kind: 'manifest', name, reference: last };
  }
  if (parts.length >= 4 && second === 'uploads' && parts.at(-3) === 'blobs') {
    // `<name>/blobs/uploads/` starts an upload, `<name>/blobs/uploads/<id>` is one.
    const name = named(3);
    if (typeof name !== 'string') return name;
    if (last === '') return { kind: 'upload-start', name };
    return UPLOAD_ID.test(last) ? { kind: 'upload', name, id: last } : notFound;
  }
  if (parts.length >= 3 && second === 'blobs') {
    const name = named(2);
    if (typeof name !== 'string') return name;
    if (!DIGEST.test(last)) return { status: 400, code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' };
    return { kind: 'blob', name, digest: last };
  }
  return notFound;
}

/** The route's path on the registry, its name under `prefix`. */
export function mappedPath(route: RegistryRoute, prefix: string): string {
  switch (route.kind) {
    case 'base':
      return '/v2/';
    case 'catalog':
      return '/v2/_catalog';
    case 'tags':
      return `/v2/${prefix}/${route.name}/tags/list`;
    case 'manifest':
      return `/v2/${prefix}/${route.name}/manifests/${route.reference}`;
    case 'blob':
      return `/v2/${prefix}/${route.name}/blobs/${route.digest}`;
    case 'upload-start':
      return `/v2/${prefix}/${route.name}/blobs/uploads/`;
    case 'upload':
      return `/v2/${prefix}/${route.name}/blobs/uploads/${route.id}`;
  }
}

/**
 * A path the registry names (a `Location`, a `Link`) as the learner knows it: `prefix` replaced by
 * `learnerPrefix` (none for a session's own names, `class/` for the class namespace); undefined when it is not under it.
 */
export function unmappedPath(path: string, prefix: string, learnerPrefix = ''): string | undefined {
  const under = `/v2/${prefix}/`;
  return path.startsWith(under) ? `/v2/${learnerPrefix}${path.slice(under.length)}` : undefined;
}
