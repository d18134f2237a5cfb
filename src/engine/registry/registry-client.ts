import type { RegistryMethod, RegistryResponse, RegistryTransport } from '../drivers/registry.js';
import { isDigest, type Digest } from '../digest.js';
import { sha256Chunks } from '../digest-stream.js';
import { concatBytes } from '../format/concat-bytes.js';
import { checkDocumentSize } from '../json-document.js';
import { RegistryContentInvalid, RegistryError } from './registry-errors.js';

/** Docker's schema 2 media types (what `docker push` writes), and the OCI ones a pull accepts. */
export const REGISTRY_MEDIA = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  manifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

/** What a pull asks a manifest to be, as moby's client does. */
const MANIFEST_ACCEPT = [REGISTRY_MEDIA.manifest, REGISTRY_MEDIA.manifestList, REGISTRY_MEDIA.ociManifest, REGISTRY_MEDIA.ociIndex].join(', ');

export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  digest: Digest;
}

/**
 * The engine's client of the distribution API (v2), over one registry host: the one place
 * that speaks it, whatever carries the requests. Blob HEAD/GET, uploads as Docker makes them
 * (POST, one PATCH, PUT `?digest=`), cross-repository mount, manifest PUT/GET. An error
 * document becomes a `RegistryError` in Docker's words.
 */
export class RegistryClient {
  constructor(
    private readonly transport: RegistryTransport,
    readonly host: string,
  ) {}

  private send(method: RegistryMethod, path: string, headers: Record<string, string> = {}, body?: Uint8Array): Promise<RegistryResponse> {
    return this.transport.request({ method, host: this.host, path, headers, ...(body ? { body } : {}) });
  }

  /** The size of a blob `repo` serves (HEAD 200), so a push need not send it; undefined on 404. */
  async statBlob(repo: string, digest: Digest): Promise<number | undefined> {
    const res = await this.send('HEAD', `/v2/${repo}/blobs/${digest}`);
    await res.body();
    if (res.status === 200) return Number(res.headers['content-length'] ?? 0);
    if (res.status === 404) return undefined;
    throw await failure(res);
  }

  /** Asks for the blob to be linked from `from` (the registry's cross-repository mount): true
   * when it was (201); otherwise the upload session the registry opened instead, to use. */
  async mountBlob(repo: string, digest: Digest, from: string): Promise<true | { location: string }> {
    const res = await this.send('POST', `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`);
    await res.body();
    if (res.status === 201) return true;
    if (res.status === 202) return { location: locationOf(res) };
    throw await failure(res);
  }

  /** Uploads a blob in one PATCH and closes the session with its digest, as Docker does
   * (distribution 2.8 ignores a monolithic POST's body). `location`: a session already open. */
  async uploadBlob(repo: string, bytes: Uint8Array, digest: Digest, location?: string): Promise<void> {
    let at = location;
    if (at === undefined) {
      const start = await this.send('POST', `/v2/${repo}/blobs/uploads/`);
      await start.body();
      if (start.status !== 202) throw await failure(start);
      at = locationOf(start);
    }
    const patch = await this.send('PATCH', at, { 'Content-Type': 'application/octet-stream' }, bytes);
    await patch.body();
    if (patch.status !== 202) throw await failure(patch);
    const put = await this.send('PUT', withQuery(locationOf(patch), `digest=${encodeURIComponent(digest)}`));
    await put.body();
    if (put.status !== 201) throw await failure(put);
  }

  /** A blob's bytes, checked against its digest before they are used. */
  async getBlob(repo: string, digest: Digest): Promise<Uint8Array> {
    const res = await this.send('GET', `/v2/${repo}/blobs/${digest}`);
    if (res.status !== 200) throw await failure(res);
    const parts: Uint8Array[] = [];
    for await (const c of res.chunks()) parts.push(c);
    const bytes = concatBytes(parts);
    const actual = await sha256Chunks(bytes);
    if (actual !== digest) throw new RegistryContentInvalid(`digest mismatch for blob ${digest}: got ${actual}`, { expected: digest, actual });
    return bytes;
  }

  /** Stores a manifest under a tag; the digest the registry names it by. */
  async putManifest(repo: string, tag: string, bytes: Uint8Array, mediaType: string): Promise<Digest> {
    const res = await this.send('PUT', `/v2/${repo}/manifests/${tag}`, { 'Content-Type': mediaType }, bytes);
    await res.body();
    if (res.status !== 201) throw await failure(res);
    const digest = res.headers['docker-content-digest'] ?? '';
    return isDigest(digest) ? digest : await sha256Chunks(bytes);
  }

  /** A manifest by tag or digest, refused past `MAX_JSON_DOCUMENT_BYTES` by its length
   * before it is read; a digest reference is checked against the bytes. */
  async getManifest(repo: string, ref: string): Promise<FetchedManifest> {
    const res = await this.send('GET', `/v2/${repo}/manifests/${ref}`, { Accept: MANIFEST_ACCEPT });
    if (res.status !== 200) throw await failure(res);
    const length = Number(res.headers['content-length'] ?? 0);
    if (length > 0) checkDocumentSize(length, 'manifest');
    const bytes = await res.body();
    checkDocumentSize(bytes.length, 'manifest');
    const digest = await sha256Chunks(bytes);
    if (isDigest(ref) && digest !== ref)
      throw new RegistryContentInvalid(`manifest verification failed for digest ${ref}`, { expected: ref, actual: digest });
    const mediaType = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
    return { bytes, mediaType, digest };
  }
}

/** distribution answers with absolute Locations (`http://127.0.0.1:5000/v2/…`); the path is what is sent next, to the same host. */
function locationOf(res: RegistryResponse): string {
  const loc = res.headers['location'];
  if (!loc) throw new RegistryError('registry answered without a Location', { status: res.status });
  return loc.replace(/^[a-z]+:\/\/[^/]+/i, '');
}

function withQuery(path: string, q: string): string {
  return path.includes('?') ? `${path}&${q}` : `${path}?${q}`;
}

/** The error of a response: distribution's first errcode, as Docker prints it (`<words of the code>: <message>`). */
async function failure(res: RegistryResponse): Promise<RegistryError> {
  let text = '';
  try {
    text = new TextDecoder().decode(await res.body());
  } catch {
    // The body was read already (a HEAD's is empty): the status alone says it.
  }
  try {
    const doc = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = doc.errors?.[0];
    if (first?.code) {
      const words = first.code.toLowerCase().replace(/_/g, ' ');
      return new RegistryError(`${words}: ${first.message ?? words}`, { status: res.status, registryCode: first.code });
    }
  } catch {
    // Not an error document (a proxy's page, a HEAD): fall through to the status.
  }
  return new RegistryError(`unexpected status from registry: ${res.status}`, { status: res.status, registryCode: '' });
}
