import type { RegistryRequest, RegistryResponse } from '../../engine/drivers/registry.js';
import { isDigest, sha256, type Digest } from '../../engine/digest.js';
import { sha256Chunks } from '../../engine/digest-stream.js';
import { concatBytes } from '../../engine/format/concat-bytes.js';
import { byPath, isRepositoryName, lessPath } from '../../engine/registry/repository-name.js';
import {
  BLOB_UNKNOWN,
  BLOB_UPLOAD_UNKNOWN,
  MANIFEST_BLOB_UNKNOWN,
  MANIFEST_INVALID,
  NAME_UNKNOWN,
  UNSUPPORTED,
  errorResponse,
  jsonResponse,
  respond,
  routeNotFound,
} from './registry-response.js';

interface StoredManifest {
  bytes: Uint8Array;
  mediaType: string;
}

/** A repository as distribution keeps it: links to blobs it may serve, its manifests, its tags. */
interface Repository {
  blobs: Set<Digest>;
  manifests: Map<Digest, StoredManifest>;
  tags: Map<string, Digest>;
}

interface Upload {
  name: string;
  parts: Uint8Array[];
  size: number;
}

const TAG_RE = /^[\w][\w.-]{0,127}$/;
const ROUTE_RE = /^\/v2\/(.+)\/(blobs\/uploads\/?|blobs|manifests|tags\/list)(?:\/([^/]*))?$/;
/** Manifest kinds whose references are blobs (config, layers) or manifests (an index's). */
const IMAGE_MANIFESTS = new Set(['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json']);
const INDEXES = new Set(['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json']);

/**
 * The simulator's registry: distribution 2.8's HTTP API answered from memory, with its
 * status codes, headers and error documents, so the engine's client cannot tell it from the
 * sandbox's `docker-registry`. Blobs are stored once and linked into repositories (a blob is
 * served only by a repository it was pushed or mounted into, as distribution does); upload
 * sessions append PATCHes and are closed by a PUT with the digest.
 */
export class MemoryRegistry {
  readonly #blobs = new Map<Digest, Uint8Array>();
  readonly #repos = new Map<string, Repository>();
  readonly #uploads = new Map<string, Upload>();
  #nextUpload = 0;

  async handle(req: RegistryRequest): Promise<RegistryResponse> {
    const q = req.path.indexOf('?');
    const path = q < 0 ? req.path : req.path.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : req.path.slice(q + 1));
    const head = req.method === 'HEAD';
    const base = `http://${req.host}`;
    if (path === '/v2/' || path === '/v2') return req.method === 'GET' || head ? jsonResponse(200, {}, {}, head) : routeNotFound();
    if (path === '/v2/_catalog' && req.method === 'GET') return this.#catalog(query);
    const m = ROUTE_RE.exec(path);
    if (!m || !isRepositoryName(m[1]!)) return routeNotFound();
    const [, name, kind, ref] = m as unknown as [string, string, string, string | undefined];
    const body = await readBody(req.body);
    const headers = lowerCase(req.headers);
    if (kind.startsWith('blobs/uploads')) {
      if (ref === undefined || ref === '') return req.method === 'POST' ? this.#startUpload(name, query, base) : routeNotFound();
      return this.#upload(req.method, name, ref, query, body, headers, base);
    }
    if (kind === 'blobs' && ref !== undefined && isDigest(ref)) return this.#blob(req.method, name, ref, headers);
    if (kind === 'manifests' && ref !== undefined && (isDigest(ref) || TAG_RE.test(ref)))
      return this.#manifest(req.method, name, ref, body, headers, base);
    if (kind === 'tags/list' && ref === undefined && req.method === 'GET') return this.#tagsList(name);
    return routeNotFound();
  }

  #repo(name: string): Repository {
    let r = this.#repos.get(name);
    if (!r) this.#repos.set(name, (r = { blobs: new Set(), manifests: new Map(), tags: new Map() }));
    return r;
  }

  /** distribution 2.8's catalog: `lessPath` order, after `last`; `n` absent, negative or not a number is every name, and a `Link` when more follow. */
  #catalog(query: URLSearchParams): RegistryResponse {
    let names = [...this.#repos.entries()].filter(([, r]) => r.blobs.size > 0 || r.manifests.size > 0).map(([n]) => n);
    names.sort(byPath);
    const last = query.get('last');
    if (last !== null) names = names.filter((n) => lessPath(last, n));
    const n = query.has('n') ? Number(query.get('n')) : -1;
    if (Number.isSafeInteger(n) && n >= 0 && names.length > n) {
      names = names.slice(0, n);
      if (n === 0) return jsonResponse(200, { repositories: names });
      return jsonResponse(200, { repositories: names }, { link: `</v2/_catalog?last=${encodeURIComponent(names[n - 1]!)}&n=${n}>; rel="next"` });
    }
    return jsonResponse(200, { repositories: names });
  }

  #startUpload(name: string, query: URLSearchParams, base: string): RegistryResponse {
    const mount = query.get('mount');
    const from = query.get('from');
    // distribution: a mount of a blob the source repository links is done at once (201);
    // anything else falls back to a new upload session (202), as a client expects.
    if (mount && from && isDigest(mount) && this.#repos.get(from)?.blobs.has(mount)) {
      this.#repo(name).blobs.add(mount);
      return blobCreated(base, name, mount);
    }
    const uuid = uploadId(this.#nextUpload++);
    this.#uploads.set(uuid, { name, parts: [], size: 0 });
    return uploadStatus(202, base, name, uuid, 0);
  }

  async #upload(
    method: string,
    name: string,
    uuid: string,
    query: URLSearchParams,
    body: Uint8Array,
    headers: Record<string, string>,
    base: string,
  ): Promise<RegistryResponse> {
    const upload = this.#uploads.get(uuid);
    if (!upload || upload.name !== name) return errorResponse(404, [BLOB_UPLOAD_UNKNOWN], method === 'HEAD');
    if (method === 'GET' || method === 'HEAD') return uploadStatus(204, base, name, uuid, upload.size);
    if (method === 'DELETE') {
      this.#uploads.delete(uuid);
      return respond(204, {});
    }
    if (method === 'PATCH' || method === 'PUT') {
      const range = headers['content-range'];
      if (method === 'PATCH' && range !== undefined && Number(/^(\d+)-/.exec(range)?.[1] ?? -1) !== upload.size) return respond(416, {});
      if (body.length > 0) {
        upload.parts.push(body);
        upload.size += body.length;
      }
      if (method === 'PATCH') return uploadStatus(202, base, name, uuid, upload.size);
      const expected = query.get('digest');
      if (!expected || !isDigest(expected))
        return errorResponse(400, [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }]);
      const bytes = concatBytes(upload.parts);
      const digest = await sha256Chunks(bytes);
      this.#uploads.delete(uuid);
      if (digest !== expected) {
        return errorResponse(400, [
          { code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content', detail: { Digest: expected, Reason: {} } },
        ]);
      }
      if (!this.#blobs.has(digest)) this.#blobs.set(digest, bytes);
      this.#repo(name).blobs.add(digest);
      return blobCreated(base, name, digest);
    }
    return routeNotFound();
  }

  #blob(method: string, name: string, digest: Digest, headers: Record<string, string>): RegistryResponse {
    const head = method === 'HEAD';
    const repo = this.#repos.get(name);
    const bytes = repo?.blobs.has(digest) ? this.#blobs.get(digest) : undefined;
    if (method === 'DELETE') {
      if (!bytes) return errorResponse(404, [BLOB_UNKNOWN(digest)]);
      repo!.blobs.delete(digest);
      return respond(202, {});
    }
    if (method !== 'GET' && !head) return routeNotFound();
    if (!bytes) return errorResponse(404, [BLOB_UNKNOWN(digest)], head);
    const common = {
      'accept-ranges': 'bytes',
      'cache-control': 'max-age=31536000',
      'content-type': 'application/octet-stream',
      'docker-content-digest': digest,
      etag: `"${digest}"`,
    };
    const range = head ? undefined : parseRange(headers['range'], bytes.length);
    if (range === 'unsatisfiable') return respond(416, { 'content-range': `bytes */${bytes.length}` });
    if (range) {
      return respond(
        206,
        { ...common, 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` },
        bytes.subarray(range.start, range.end + 1),
      );
    }
    return respond(200, common, bytes, head);
  }

  #manifest(method: string, name: string, ref: string, body: Uint8Array, headers: Record<string, string>, base: string): RegistryResponse {
    const head = method === 'HEAD';
    if (method === 'PUT') return this.#putManifest(name, ref, body, headers['content-type'] ?? '', base);
    const repo = this.#repos.get(name);
    const digest = isDigest(ref) ? ref : repo?.tags.get(ref);
    const stored = digest ? repo?.manifests.get(digest) : undefined;
    if (method === 'DELETE') {
      if (!isDigest(ref)) return errorResponse(400, [UNSUPPORTED]);
      if (!stored) return errorResponse(404, [manifestUnknown(name, ref)]);
      repo!.manifests.delete(ref);
      for (const [tag, d] of repo!.tags) if (d === ref) repo!.tags.delete(tag);
      return respond(202, {});
    }
    if (method !== 'GET' && !head) return routeNotFound();
    if (!stored || !digest) return errorResponse(404, [manifestUnknown(name, ref)], head);
    return respond(200, { 'content-type': stored.mediaType, 'docker-content-digest': digest, etag: `"${digest}"` }, stored.bytes, head);
  }

  #putManifest(name: string, ref: string, body: Uint8Array, contentType: string, base: string): RegistryResponse {
    let doc: { mediaType?: string; config?: { digest?: string }; layers?: { digest?: string }[]; manifests?: { digest?: string }[] };
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as typeof doc;
      if (typeof doc !== 'object' || doc === null) throw new Error('not an object');
    } catch {
      return errorResponse(400, [MANIFEST_INVALID({})]);
    }
    const mediaType = contentType.split(';')[0]!.trim() || doc.mediaType || '';
    const repo = this.#repos.get(name);
    const missing: string[] = [];
    if (IMAGE_MANIFESTS.has(mediaType)) {
      for (const d of [doc.config?.digest, ...(doc.layers ?? []).map((l) => l.digest)]) {
        if (typeof d !== 'string' || !isDigest(d) || !repo?.blobs.has(d)) missing.push(String(d));
      }
    } else if (INDEXES.has(mediaType)) {
      for (const d of (doc.manifests ?? []).map((l) => l.digest)) {
        if (typeof d !== 'string' || !isDigest(d) || !repo?.manifests.has(d)) missing.push(String(d));
      }
    } else {
      return errorResponse(400, [MANIFEST_INVALID(`unrecognized manifest content type ${mediaType}`)]);
    }
    if (missing.length > 0) return errorResponse(400, missing.map(MANIFEST_BLOB_UNKNOWN));
    const digest = sha256(body);
    if (isDigest(ref) && ref !== digest)
      return errorResponse(400, [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }]);
    const r = this.#repo(name);
    r.manifests.set(digest, { bytes: body.slice(), mediaType });
    if (!isDigest(ref)) r.tags.set(ref, digest);
    return respond(201, { 'docker-content-digest': digest, location: `${base}/v2/${name}/manifests/${digest}` });
  }

  #tagsList(name: string): RegistryResponse {
    const repo = this.#repos.get(name);
    // distribution lists the repository's tag directory: none yet is an unknown name.
    if (!repo || repo.tags.size === 0) return errorResponse(404, [NAME_UNKNOWN(name)]);
    return jsonResponse(200, { name, tags: [...repo.tags.keys()].sort() });
  }
}

function manifestUnknown(name: string, ref: string) {
  return { code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: isDigest(ref) ? { Name: name, Revision: ref } : { Tag: ref } };
}

function blobCreated(base: string, name: string, digest: Digest): RegistryResponse {
  return respond(201, { 'docker-content-digest': digest, location: `${base}/v2/${name}/blobs/${digest}` });
}

/** distribution's upload status: where to send the next part and what it holds (`Range: 0-<last byte>`, `0-0` when empty). */
function uploadStatus(status: 201 | 202 | 204, base: string, name: string, uuid: string, size: number): RegistryResponse {
  return respond(status, {
    'docker-upload-uuid': uuid,
    location: `${base}/v2/${name}/blobs/uploads/${uuid}?_state=${size}`,
    range: `0-${Math.max(size - 1, 0)}`,
  });
}

/** An upload's id in the shape of distribution's (a UUID), from a counter: a test's run repeats. */
function uploadId(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function parseRange(value: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = value ? /^bytes=(\d*)-(\d*)$/.exec(value.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(size - Number(m[2]), 0);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

async function readBody(body: RegistryRequest['body']): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array(0);
  if (body instanceof Uint8Array) return body.slice();
  const parts: Uint8Array[] = [];
  for await (const c of body) parts.push(c.slice());
  return concatBytes(parts);
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
