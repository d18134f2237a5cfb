import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LOCAL_REGISTRY_HOSTS, type RegistryRequest, type RegistryResponse, type RegistryTransport } from '../../src/engine/drivers/registry.js';
import { RegistryUnreachable } from '../../src/engine/errors.js';
import { byPath, lessPath } from '../../src/engine/registry/repository-name.js';
import { readsSeed } from '../../src/engine/registry/seeded-images.js';
import type { RegistryGate } from './registry-gate.js';
import { mappedPath, parseRoute, unmappedPath, validName, type RegistryRoute } from './registry-names.js';
import { CLASS_NAMESPACE, classRefusal, placement, type ClassAccess } from './registry-class-namespace.js';
import { RegistryUsage, type RegistryQuota } from './registry-usage.js';

export interface SessionTransportOptions {
  /** The session's namespace on the registry (registry-names.ts `sessionPrefix`). */
  prefix: string;
  /** The running registry's `http://127.0.0.1:<port>` (registry-process.ts; it changes on a restart). */
  origin: () => Promise<string>;
  gate: RegistryGate;
  quota: RegistryQuota;
  /** The seeded images' namespace (registry-host.ts `SEED_PREFIX`): a pull of a seeded image the session does not hold reads it there. */
  seedPrefix?: string;
  /** A workshop learner's way into the class namespace (registry-class-namespace.ts); without it `class/…` is refused. */
  classAccess?: ClassAccess;
}

/** A request body past a quota, stopped as it streamed. */
class OverQuota extends Error {
  constructor(readonly usage: RegistryUsage) {
    super(usage.bytesMessage());
  }
}

/** Where one request goes: a namespace's prefix on the registry, the route with the name as it is under it, and the usages it counts against. */
interface Target {
  prefix: string;
  /** What the learner writes in place of `prefix/`: nothing for the session's own names, `class/` for the class namespace. */
  learnerPrefix: string;
  route: Exclude<RegistryRoute, { kind: 'catalog' }>;
  usages: RegistryUsage[];
}

/** Request headers a registry client's request carries that the registry reads; no other is forwarded. */
const FORWARDED_HEADERS = ['accept', 'content-type', 'content-length', 'content-range', 'range', 'if-none-match'];
/** Hop-by-hop: the transport's own connection, not the registry's answer. */
const DROPPED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);
/** An error's or a tag list's JSON body, read whole to take the prefix out of it. */
const MAX_REWRITTEN_BODY = 1024 * 1024;

const encoder = new TextEncoder();

/**
 * One session's `RegistryTransport` on the server: the learner's `/v2/<name>/…` becomes
 * `/v2/<prefix>/<name>/…` on the real registry, the name checked by distribution's grammar
 * first (registry-names.ts), and the answer's `Location`, `Link`, `_catalog` and error bodies
 * mapped back, so the learner sees `localhost:5000/<name>` and never the prefix. A workshop
 * learner's `class/<rest>` becomes `/v2/<workshop prefix>/<rest>/…` instead, read by the class
 * and written by its owner only (registry-class-namespace.ts). Bodies stream both ways; what a
 * session stores (distinct blobs and manifests, and uploads under way) and how many repositories
 * it writes are counted against its quota — and, in the class namespace, against the workshop's
 * too — refused as a registry refuses: 403 `DENIED`. The registry's port is nobody's but this transport's.
 */
export class SessionRegistryTransport implements RegistryTransport {
  private readonly own: RegistryUsage;

  constructor(private readonly options: SessionTransportOptions) {
    this.own = new RegistryUsage(options.quota, 'this sandbox');
  }

  /** What the session holds in the registry, as its quota counts it. */
  get usage(): { bytes: number; repositories: number } {
    return { bytes: this.own.bytes, repositories: this.own.repositories.size };
  }

  async request(req: RegistryRequest): Promise<RegistryResponse> {
    // Docker's words for a registry it cannot reach: nothing but the sandbox's own is carried to.
    if (!LOCAL_REGISTRY_HOSTS.includes(req.host))
      throw new RegistryUnreachable(`Get "https://${req.host}/v2/": dial tcp: lookup ${req.host.replace(/:\d+$/, '')}: no such host`);
    const { prefix } = this.options;
    const at = req.path.indexOf('?');
    const pathname = at < 0 ? req.path : req.path.slice(0, at);
    const params = new URLSearchParams(at < 0 ? '' : req.path.slice(at + 1));
    const route = parseRoute(pathname, prefix);
    if ('status' in route) {
      return route.code === 'NOT_FOUND' ? textResponse(404, '404 page not found\n') : errorResponse(route.status, route.code, route.message);
    }
    if (route.kind === 'catalog') return this.catalog(req, params);
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const target = await this.target(route, write, req.host);
    if ('refused' in target) return target.refused;
    const query = new URLSearchParams();
    for (const key of ['n', 'last', 'digest', '_state', 'mount']) {
      const value = params.get(key);
      if (value !== null) query.set(key, value);
    }
    const from = params.get('from');
    if (from !== null) {
      // A cross-repository mount is from the session's own namespace, or from what the class shared.
      if (!validName(from, prefix)) return errorResponse(400, 'NAME_INVALID', 'invalid repository name');
      const source = await this.namespaceOf(from, false, req.host);
      if ('refused' in source) return source.refused;
      query.set('from', `${source.prefix}/${source.name}`);
    }
    if (!write) {
      const res = await this.forward(req, target, query);
      // seeded-images.ts: a pull of a seeded image falls through to the seeds, read-only.
      const seeds = this.options.seedPrefix;
      if (res.status !== 404 || seeds === undefined || target.learnerPrefix !== '' || !readsSeed(req.method, pathname)) return res;
      return this.forward(req, { ...target, prefix: seeds }, query);
    }
    const creates = route.kind === 'upload-start' || (route.kind === 'manifest' && req.method === 'PUT');
    if (creates && 'name' in route) {
      const over = target.usages.find((u) => u.refusesRepository(route.name));
      if (over) return errorResponse(403, 'DENIED', over.repositoriesMessage());
    }
    return this.options.gate.write(async () => {
      const mounted = route.kind === 'upload-start' && query.has('mount') && query.has('from') ? await this.mountSize(req, query) : undefined;
      if (mounted !== undefined) {
        const over = target.usages.find((u) => !u.stored.has(mounted.digest) && u.bytes + mounted.bytes > u.quota.bytes);
        if (over) return errorResponse(403, 'DENIED', over.bytesMessage());
      }
      const res = await this.forward(req, target, query);
      // A mount links a blob without sending it: the namespace holds it from now on all the same.
      if (mounted !== undefined && res.status === 201) for (const u of target.usages) u.store(mounted.digest, mounted.bytes);
      return res;
    });
  }

  /** Where a route goes: its name's namespace (the session's for the API's base). */
  private async target(
    route: Exclude<RegistryRoute, { kind: 'catalog' }>,
    write: boolean,
    host: string,
  ): Promise<Target | { refused: RegistryResponse }> {
    if (route.kind === 'base') return { prefix: this.options.prefix, learnerPrefix: '', route, usages: [this.own] };
    const space = await this.namespaceOf(route.name, write, host);
    return 'refused' in space ? space : { ...space, route: { ...route, name: space.name } };
  }

  /**
   * The namespace a learner's repository name lives in, and the name under its prefix. A
   * session's own names go under its prefix; `class/…` under the workshop's, if the class
   * access allows it (a registry's 403 `denied` otherwise).
   */
  private async namespaceOf(
    name: string,
    write: boolean,
    host: string,
  ): Promise<(Omit<Target, 'route'> & { name: string }) | { refused: RegistryResponse }> {
    const place = placement(name);
    if (place.namespace === 'session') return { prefix: this.options.prefix, learnerPrefix: '', name, usages: [this.own] };
    const access = this.options.classAccess;
    const refusal = await classRefusal(access, place.rest, write, host);
    if (refusal !== undefined) return { refused: errorResponse(403, 'DENIED', refusal) };
    // `class` alone names no repository: under it are the learners' parts.
    if (place.rest === '') return { refused: errorResponse(404, 'NAME_UNKNOWN', 'repository name not known to registry') };
    return { prefix: access!.prefix, learnerPrefix: `${CLASS_NAMESPACE}/`, name: place.rest, usages: [this.own, await access!.usage()] };
  }

  /** The size of a blob a mount would link, read from where it is mounted from (a HEAD, as the registry itself would stat it). */
  private async mountSize(req: RegistryRequest, query: URLSearchParams): Promise<{ digest: string; bytes: number } | undefined> {
    const digest = query.get('mount')!;
    const res = await send(await this.origin(), 'HEAD', `/v2/${query.get('from')}/blobs/${digest}`, { host: req.host }, undefined, () => {});
    res.resume();
    const bytes = Number(header(res, 'content-length'));
    return res.statusCode === 200 && Number.isSafeInteger(bytes) ? { digest, bytes } : undefined;
  }

  /** The registry's address; while it is down, what Docker says of a registry nobody answers at. */
  private async origin(): Promise<string> {
    try {
      return await this.options.origin();
    } catch (error) {
      throw new RegistryUnreachable(
        `Get "http://localhost:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused (${(error as Error).message})`,
      );
    }
  }

  private async forward(req: RegistryRequest, target: Target, query: URLSearchParams): Promise<RegistryResponse> {
    const { route, prefix, learnerPrefix, usages } = target;
    const search = query.size > 0 ? `?${query.toString()}` : '';
    const headers: Record<string, string> = { host: req.host };
    for (const name of FORWARDED_HEADERS) {
      const value = Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];
      if (value !== undefined) headers[name] = value;
    }
    // Bytes this request adds to the namespace: an upload's chunk, a monolithic blob, a manifest.
    const counted = req.body !== undefined && (route.kind === 'upload' || route.kind === 'upload-start' || route.kind === 'manifest');
    const uploadId = route.kind === 'upload' ? route.id : undefined;
    let sent = 0;
    const declared = Number(headers['content-length'] ?? (req.body instanceof Uint8Array ? req.body.byteLength : NaN));
    if (counted && Number.isFinite(declared)) {
      const over = usages.find((u) => u.bytes + declared > u.quota.bytes);
      if (over) return errorResponse(403, 'DENIED', over.bytesMessage());
    }
    let res: IncomingMessage;
    try {
      res = await send(await this.origin(), req.method, mappedPath(route, prefix) + search, headers, req.body, (chunk) => {
        if (!counted) return;
        const over = usages.find((u) => u.bytes + (uploadId === undefined ? sent : 0) + chunk > u.quota.bytes);
        if (over) throw new OverQuota(over);
        sent += chunk;
        if (uploadId !== undefined) for (const u of usages) u.addPending(uploadId, chunk);
      });
    } catch (error) {
      if (error instanceof OverQuota) return errorResponse(403, 'DENIED', error.message);
      throw error;
    }
    const status = res.statusCode ?? 502;
    for (const usage of usages)
      account(usage, req, route.kind === 'base' ? route : { ...route, name: learnerPrefix + route.name }, query, status, res, sent);
    const out = mapHeaders(res, req.host, prefix, learnerPrefix);
    if (status >= 400 || route.kind === 'tags') {
      // distribution names the repository in errors' details and tag lists: the learner's name, not ours.
      const text = new TextDecoder()
        .decode(await readCapped(res, MAX_REWRITTEN_BODY))
        .split(`"${prefix}/`)
        .join(`"${learnerPrefix}`);
      const bytes = encoder.encode(text);
      if (out['content-length'] !== undefined) out['content-length'] = String(bytes.byteLength);
      return bytesResponse(status, out, bytes);
    }
    return streamResponse(status, out, res, this.options.quota.bytes);
  }

  /**
   * `GET /v2/_catalog`: the repositories this session may read — its own and, for a workshop
   * learner while the instructor has it open, the class namespace's as `class/<handle>/<name>` —
   * never another session's. Ordered and paged by the learner's `n` and `last` as distribution
   * 2.8 does (`lessPath`: a name's components before a longer name's; `n` absent or not a
   * number is every name), with a `Link` for the next page as it writes it.
   */
  private async catalog(req: RegistryRequest, params: URLSearchParams): Promise<RegistryResponse> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return textResponse(405, '');
    const origin = await this.origin();
    const names = await namesUnder(origin, req.host, this.options.prefix);
    const access = this.options.classAccess;
    if (access !== undefined && (await classRefusal(access, '', false, req.host)) === undefined)
      names.push(...(await namesUnder(origin, req.host, access.prefix)).map((name) => `${CLASS_NAMESPACE}/${name}`));
    names.sort(byPath);
    const last = params.get('last');
    const n = params.has('n') ? Number(params.get('n')) : undefined;
    const after = last === null ? names : names.filter((name) => lessPath(last, name));
    const shown = n === undefined || !Number.isSafeInteger(n) || n < 0 ? after : after.slice(0, n);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'docker-distribution-api-version': 'registry/2.0' };
    if (shown.length < after.length && shown.length > 0) headers.link = `</v2/_catalog?last=${encodeURIComponent(shown.at(-1)!)}&n=${n}>; rel="next"`;
    const bytes = encoder.encode(`${JSON.stringify({ repositories: shown })}\n`);
    headers['content-length'] = String(bytes.byteLength);
    return bytesResponse(200, headers, req.method === 'HEAD' ? new Uint8Array() : bytes);
  }
}

/**
 * The names of the repositories below `prefix` on the registry, without it. distribution lists
 * every name in `lessPath` order, so a namespace's names follow its prefix together: they are
 * read from there on, 100 a page, until a name is not under it.
 */
async function namesUnder(origin: string, host: string, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let cursor = prefix;
  for (let page = 0; page < 64; page++) {
    const res = await send(origin, 'GET', `/v2/_catalog?n=100&last=${encodeURIComponent(cursor)}`, { host }, undefined, () => {});
    const body = JSON.parse(new TextDecoder().decode(await readCapped(res, MAX_REWRITTEN_BODY))) as { repositories?: string[] };
    const listed = body.repositories ?? [];
    const mine = listed.filter((n) => n.startsWith(`${prefix}/`));
    names.push(...mine.map((n) => n.slice(prefix.length + 1)));
    if (listed.length < 100 || mine.length < listed.length) break;
    cursor = listed.at(-1)!;
  }
  return names;
}

/** What a finished request changed in a namespace's usage; `route` names the repository as the learner does. */
function account(
  usage: RegistryUsage,
  req: RegistryRequest,
  route: RegistryRoute,
  query: URLSearchParams,
  status: number,
  res: IncomingMessage,
  sent: number,
): void {
  const location = header(res, 'location');
  const digest = query.get('digest');
  if (route.kind === 'upload-start' && (status === 201 || status === 202)) {
    usage.repositories.add(route.name);
    if (status === 202 && location) usage.pending.set(location.split('?')[0]!.split('/').at(-1)!, sent);
    else if (status === 201 && digest) usage.store(digest, sent);
  } else if (route.kind === 'upload') {
    if (req.method === 'PUT' && status === 201 && digest) usage.finishUpload(route.id, digest);
    else if (req.method === 'DELETE' && status === 204) usage.finishUpload(route.id);
  } else if (route.kind === 'manifest' && req.method === 'PUT' && status === 201) {
    usage.repositories.add(route.name);
    const manifest = header(res, 'docker-content-digest');
    if (manifest) usage.store(manifest, sent);
  }
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The registry's headers, lower-case, with `Location` and `Link` as the learner's names. */
function mapHeaders(res: IncomingMessage, host: string, prefix: string, learnerPrefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(res.headers)) {
    if (raw === undefined || DROPPED_HEADERS.has(name)) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (name === 'location') {
      const url = new URL(value, `http://${host}`);
      const path = unmappedPath(url.pathname, prefix, learnerPrefix);
      if (path !== undefined) out.location = `http://${host}${path}${url.search}`;
    } else if (name === 'link') {
      out.link = value.replace(/<([^>]*)>/g, (whole, target: string) => {
        const url = new URL(target, `http://${host}`);
        const path = unmappedPath(url.pathname, prefix, learnerPrefix);
        return path === undefined ? whole : `<${path}${url.search}>`;
      });
    } else out[name] = value;
  }
  return out;
}

/** One request to the registry on loopback, its body streamed; `onChunk` sees each chunk before it is sent (and may refuse it by throwing). */
function send(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: RegistryRequest['body'],
  onChunk: (bytes: number) => void,
): Promise<IncomingMessage> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    // No keep-alive: a response the client leaves unread must not hold a pooled socket.
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent: false }, resolve);
    req.once('error', reject);
    const source = body === undefined ? [] : body instanceof Uint8Array ? [body] : body;
    const counted = (async function* () {
      for await (const chunk of source) {
        onChunk(chunk.byteLength);
        yield chunk;
      }
    })();
    pipeline(Readable.from(counted, { objectMode: false }), req).catch((error: unknown) => {
      req.destroy();
      reject(error);
    });
  });
}

async function readCapped(res: AsyncIterable<Uint8Array>, cap: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += chunk.byteLength;
    if (size > cap) throw new Error(`the registry's answer is over ${cap} bytes`);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function bytesResponse(status: number, headers: Record<string, string>, bytes: Uint8Array): RegistryResponse {
  return {
    status,
    headers,
    body: async () => bytes,
    async *chunks() {
      if (bytes.byteLength > 0) yield bytes;
    },
  };
}

/** A body read as it arrives, at most `cap` bytes (no session may hold more), once. */
function streamResponse(status: number, headers: Record<string, string>, res: IncomingMessage, cap: number): RegistryResponse {
  let taken = false;
  const take = () => {
    if (taken) throw new Error("the registry's answer was read already");
    taken = true;
    return res;
  };
  return {
    status,
    headers,
    body: async () => readCapped(take(), cap),
    async *chunks() {
      let size = 0;
      for await (const chunk of take() as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > cap) {
          res.destroy();
          throw new Error(`the registry's answer is over ${cap} bytes`);
        }
        yield chunk;
      }
    },
  };
}

/** distribution's error body (registry/api/errcode): `{"errors":[{"code","message","detail"}]}`. */
function errorResponse(status: number, code: string, message: string): RegistryResponse {
  const bytes = encoder.encode(`${JSON.stringify({ errors: [{ code, message, detail: null }] })}\n`);
  return bytesResponse(
    status,
    {
      'content-type': 'application/json; charset=utf-8',
      'docker-distribution-api-version': 'registry/2.0',
      'content-length': String(bytes.byteLength),
    },
    bytes,
  );
}

/** Go's mux answers a path no route matches with this text. */
function textResponse(status: number, text: string): RegistryResponse {
  const bytes = encoder.encode(text);
  return bytesResponse(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(bytes.byteLength) }, bytes);
}
