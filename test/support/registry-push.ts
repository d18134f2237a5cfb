import { createHash } from 'node:crypto';
import type { RegistryMethod, RegistryTransport } from '../../src/engine/drivers/registry.js';

/** A client's requests to a RegistryTransport, as Docker makes them, for the sandbox registry's tests. */
export const HOST = 'localhost:5000';
export const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
export const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export async function call(t: RegistryTransport, method: RegistryMethod, path: string, body?: Uint8Array, headers: Record<string, string> = {}) {
  const res = await t.request({ method, host: HOST, path, headers, body });
  return { status: res.status, headers: res.headers, text: text(await res.body()) };
}

/** A blob as a client pushes one: POST an upload, PATCH its bytes (streamed), PUT with the digest. */
export async function pushBlob(t: RegistryTransport, name: string, bytes: Uint8Array): Promise<{ status: number; digest: string; text: string }> {
  const digest = sha(bytes);
  const start = await call(t, 'POST', `/v2/${name}/blobs/uploads/`);
  if (start.status !== 202) return { ...start, digest };
  const at = new URL(start.headers.location!);
  const patch = await t.request({
    method: 'PATCH',
    host: HOST,
    path: at.pathname + at.search,
    headers: { 'content-type': 'application/octet-stream' },
    body: (async function* () {
      yield bytes;
    })(),
  });
  if (patch.status !== 202) return { status: patch.status, digest, text: text(await patch.body()) };
  const next = new URL(patch.headers.location!);
  next.searchParams.set('digest', digest);
  const put = await call(t, 'PUT', next.pathname + next.search);
  return { ...put, digest };
}

/** An image of one layer under `name:tag`: its config and layer blobs, then its manifest. */
export async function pushImage(t: RegistryTransport, name: string, tag: string, layer: Uint8Array) {
  const config = new TextEncoder().encode(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  const c = await pushBlob(t, name, config);
  const l = await pushBlob(t, name, layer);
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.byteLength, digest: c.digest },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size: layer.byteLength, digest: l.digest }],
    }),
  );
  const put = await call(t, 'PUT', `/v2/${name}/manifests/${tag}`, manifest, { 'content-type': MANIFEST });
  return { put, layer: l.digest, config: c.digest, manifest: sha(manifest) };
}
