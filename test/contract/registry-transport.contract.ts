import { describe, expect, it } from 'vitest';
import type { RegistryRequest, RegistryResponse, RegistryTransport } from '../../src/engine/drivers/registry.js';
import { sha256, type Digest } from '../../src/engine/digest.js';
import { RegistryUnreachable } from '../../src/engine/errors.js';
import { bytes } from '../support/builders.js';

/**
 * What a registry behind a `RegistryTransport` answers (distribution 2.8's HTTP API, as
 * Debian's docker-registry answers it — recorded with curl against it): status codes, the
 * headers a client reads, error documents. Uses only the interface, so the simulator's
 * memory registry and the sandbox's transport to its real registry run it unchanged.
 * `repo` gives each test a repository of its own (a real registry outlives a test).
 */
export function registryTransportContract(name: string, make: () => Promise<{ transport: RegistryTransport; repo: (base: string) => string }>): void {
  const HOST = 'localhost:5000';
  const MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
  const CONFIG_V1 = 'application/vnd.docker.container.image.v1+json';
  const LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

  async function send(t: RegistryTransport, req: Omit<RegistryRequest, 'host' | 'headers'> & { headers?: Record<string, string>; host?: string }) {
    const res = await t.request({ host: HOST, headers: {}, ...req });
    return { res, text: new TextDecoder().decode(await res.body()) };
  }

  /** The path of a Location header, absolute (distribution's default) or not. */
  function locationPath(res: RegistryResponse): string {
    const loc = res.headers['location'];
    expect(loc).toBeDefined();
    return loc!.replace(/^https?:\/\/[^/]+/, '');
  }

  /** Docker's push of one blob: POST, PATCH it whole, PUT the digest. */
  async function pushBlob(t: RegistryTransport, repo: string, content: Uint8Array): Promise<Digest> {
    const digest = sha256(content);
    const start = await send(t, { method: 'POST', path: `/v2/${repo}/blobs/uploads/` });
    expect(start.res.status).toBe(202);
    const patch = await send(t, {
      method: 'PATCH',
      path: locationPath(start.res),
      headers: { 'Content-Type': 'application/octet-stream' },
      body: content,
    });
    expect(patch.res.status).toBe(202);
    const put = await send(t, { method: 'PUT', path: withQuery(locationPath(patch.res), `digest=${digest}`) });
    expect(put.res.status).toBe(201);
    return digest;
  }

  function withQuery(path: string, q: string): string {
    return path.includes('?') ? `${path}&${q}` : `${path}?${q}`;
  }

  function manifestOf(config: Digest, configSize: number, layers: { digest: Digest; size: number }[]): Uint8Array {
    return bytes(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MANIFEST_V2,
        config: { mediaType: CONFIG_V1, size: configSize, digest: config },
        layers: layers.map((l) => ({ mediaType: LAYER_GZIP, size: l.size, digest: l.digest })),
      }),
    );
  }

  describe(`RegistryTransport contract: ${name}`, () => {
    it('answers the API version check', async () => {
      const { transport } = await make();
      const { res, text } = await send(transport, { method: 'GET', path: '/v2/' });
      expect(res.status).toBe(200);
      expect(res.headers['docker-distribution-api-version']).toBe('registry/2.0');
      expect(JSON.parse(text)).toEqual({});
    });

    it('uploads a blob in a session (POST, PATCH, PUT ?digest=) and serves it by HEAD and GET with its digest and size', async () => {
      const { transport, repo } = await make();
      const r = repo('blobs');
      const content = bytes('a layer of bytes');
      const start = await send(transport, { method: 'POST', path: `/v2/${r}/blobs/uploads/` });
      expect(start.res.status).toBe(202);
      expect(start.res.headers['range']).toBe('0-0');
      expect(start.res.headers['docker-upload-uuid']).toMatch(/^[0-9a-f-]{36}$/);
      expect(locationPath(start.res)).toMatch(new RegExp(`^/v2/${r}/blobs/uploads/`));
      const patch = await send(transport, { method: 'PATCH', path: locationPath(start.res), body: content });
      expect(patch.res.status).toBe(202);
      expect(patch.res.headers['range']).toBe(`0-${content.length - 1}`);
      const digest = sha256(content);
      const put = await send(transport, { method: 'PUT', path: withQuery(locationPath(patch.res), `digest=${digest}`) });
      expect(put.res.status).toBe(201);
      expect(put.res.headers['docker-content-digest']).toBe(digest);
      expect(locationPath(put.res)).toBe(`/v2/${r}/blobs/${digest}`);

      const head = await send(transport, { method: 'HEAD', path: `/v2/${r}/blobs/${digest}` });
      expect(head.res.status).toBe(200);
      expect(head.res.headers['content-length']).toBe(String(content.length));
      expect(head.res.headers['docker-content-digest']).toBe(digest);
      expect(head.text).toBe('');
      const get = await send(transport, { method: 'GET', path: `/v2/${r}/blobs/${digest}` });
      expect(get.res.status).toBe(200);
      expect(get.text).toBe('a layer of bytes');
    });

    it('refuses an upload whose bytes do not match the digest (DIGEST_INVALID) and keeps nothing', async () => {
      const { transport, repo } = await make();
      const r = repo('mismatch');
      const start = await send(transport, { method: 'POST', path: `/v2/${r}/blobs/uploads/` });
      const patch = await send(transport, { method: 'PATCH', path: locationPath(start.res), body: bytes('tampered') });
      const put = await send(transport, { method: 'PUT', path: withQuery(locationPath(patch.res), `digest=${sha256('original')}`) });
      expect(put.res.status).toBe(400);
      expect(JSON.parse(put.text).errors[0].code).toBe('DIGEST_INVALID');
      const head = await send(transport, { method: 'HEAD', path: `/v2/${r}/blobs/${sha256('tampered')}` });
      expect(head.res.status).toBe(404);
    });

    it('says a blob it does not hold is unknown: HEAD 404 without a body, GET 404 with BLOB_UNKNOWN', async () => {
      const { transport, repo } = await make();
      const r = repo('noblob');
      const missing = sha256('never pushed');
      const head = await send(transport, { method: 'HEAD', path: `/v2/${r}/blobs/${missing}` });
      expect(head.res.status).toBe(404);
      expect(head.text).toBe('');
      const get = await send(transport, { method: 'GET', path: `/v2/${r}/blobs/${missing}` });
      expect(get.res.status).toBe(404);
      expect(JSON.parse(get.text)).toEqual({ errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: missing }] });
    });

    it('serves a blob only from a repository it was pushed or mounted into; a mount ?mount=&from= links it (201)', async () => {
      const { transport, repo } = await make();
      const a = repo('mount-a');
      const b = repo('mount-b');
      const digest = await pushBlob(transport, a, bytes('shared layer'));
      expect((await send(transport, { method: 'HEAD', path: `/v2/${b}/blobs/${digest}` })).res.status).toBe(404);
      const mount = await send(transport, { method: 'POST', path: `/v2/${b}/blobs/uploads/?mount=${digest}&from=${a}` });
      expect(mount.res.status).toBe(201);
      expect(mount.res.headers['docker-content-digest']).toBe(digest);
      expect(locationPath(mount.res)).toBe(`/v2/${b}/blobs/${digest}`);
      expect((await send(transport, { method: 'HEAD', path: `/v2/${b}/blobs/${digest}` })).res.status).toBe(200);
    });

    it('falls back to an upload session (202) when the mount source does not hold the blob', async () => {
      const { transport, repo } = await make();
      const r = repo('mount-miss');
      const res = await send(transport, { method: 'POST', path: `/v2/${r}/blobs/uploads/?mount=${sha256('nowhere')}&from=${repo('mount-none')}` });
      expect(res.res.status).toBe(202);
      expect(res.res.headers['docker-upload-uuid']).toBeDefined();
    });

    it('serves a byte range of a blob (206, Content-Range)', async () => {
      const { transport, repo } = await make();
      const r = repo('range');
      const digest = await pushBlob(transport, r, bytes('0123456789'));
      const res = await send(transport, { method: 'GET', path: `/v2/${r}/blobs/${digest}`, headers: { Range: 'bytes=2-5' } });
      expect(res.res.status).toBe(206);
      expect(res.res.headers['content-range']).toBe('bytes 2-5/10');
      expect(res.text).toBe('2345');
    });

    it('stores a manifest by tag and serves it by tag and by digest with its media type and digest', async () => {
      const { transport, repo } = await make();
      const r = repo('manifest');
      const config = bytes('{"architecture":"amd64"}');
      const layer = bytes('layer bytes');
      const configDigest = await pushBlob(transport, r, config);
      const layerDigest = await pushBlob(transport, r, layer);
      const manifest = manifestOf(configDigest, config.length, [{ digest: layerDigest, size: layer.length }]);
      const put = await send(transport, { method: 'PUT', path: `/v2/${r}/manifests/v1`, headers: { 'Content-Type': MANIFEST_V2 }, body: manifest });
      expect(put.res.status).toBe(201);
      expect(put.res.headers['docker-content-digest']).toBe(sha256(manifest));
      expect(locationPath(put.res)).toBe(`/v2/${r}/manifests/${sha256(manifest)}`);

      for (const ref of ['v1', sha256(manifest)]) {
        const get = await send(transport, { method: 'GET', path: `/v2/${r}/manifests/${ref}`, headers: { Accept: MANIFEST_V2 } });
        expect(get.res.status).toBe(200);
        expect(get.res.headers['content-type']).toBe(MANIFEST_V2);
        expect(get.res.headers['docker-content-digest']).toBe(sha256(manifest));
        expect(get.text).toBe(new TextDecoder().decode(manifest));
      }
      const head = await send(transport, { method: 'HEAD', path: `/v2/${r}/manifests/v1`, headers: { Accept: MANIFEST_V2 } });
      expect(head.res.status).toBe(200);
      expect(head.res.headers['docker-content-digest']).toBe(sha256(manifest));
      expect(head.res.headers['content-length']).toBe(String(manifest.length));
      const tags = await send(transport, { method: 'GET', path: `/v2/${r}/tags/list` });
      expect(JSON.parse(tags.text)).toEqual({ name: r, tags: ['v1'] });
    });

    it('refuses a manifest naming a blob the repository does not hold (MANIFEST_BLOB_UNKNOWN)', async () => {
      const { transport, repo } = await make();
      const r = repo('manifest-missing');
      const config = bytes('{}');
      const configDigest = await pushBlob(transport, r, config);
      const absent = sha256('absent layer');
      const manifest = manifestOf(configDigest, config.length, [{ digest: absent, size: 12 }]);
      const put = await send(transport, {
        method: 'PUT',
        path: `/v2/${r}/manifests/latest`,
        headers: { 'Content-Type': MANIFEST_V2 },
        body: manifest,
      });
      expect(put.res.status).toBe(400);
      expect(JSON.parse(put.text)).toEqual({ errors: [{ code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: absent }] });
    });

    it('says an unknown tag is MANIFEST_UNKNOWN and an unknown repository has no tags (NAME_UNKNOWN)', async () => {
      const { transport, repo } = await make();
      const r = repo('unknown');
      const get = await send(transport, { method: 'GET', path: `/v2/${r}/manifests/nope`, headers: { Accept: MANIFEST_V2 } });
      expect(get.res.status).toBe(404);
      expect(JSON.parse(get.text)).toEqual({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'nope' } }] });
      const tags = await send(transport, { method: 'GET', path: `/v2/${r}/tags/list` });
      expect(tags.res.status).toBe(404);
      expect(JSON.parse(tags.text).errors[0].code).toBe('NAME_UNKNOWN');
    });

    it("lists the repositories in distribution's order, a blob's repository too, paged by n and last with a Link to the next page", async () => {
      const { transport, repo } = await make();
      const names = ['a-b', 'b', 'a/b', 'a'].map(repo);
      for (const [i, name] of names.entries()) await pushBlob(transport, name, bytes(`catalog blob ${i}`));
      const catalog = async (query: string) => {
        const { res, text } = await send(transport, { method: 'GET', path: `/v2/_catalog${query}` });
        expect(res.status).toBe(200);
        return { repositories: JSON.parse(text).repositories as string[], link: res.headers['link'] };
      };
      // Recorded on docker-registry 2.8.2: `/` sorts before any other byte, so "a/b" comes before "a-b".
      const all = ['a', 'a/b', 'a-b', 'b'].map(repo);
      expect(await catalog('')).toEqual({ repositories: all, link: undefined });
      expect(await catalog('?n=2')).toEqual({
        repositories: all.slice(0, 2),
        link: `</v2/_catalog?last=${encodeURIComponent(all[1]!)}&n=2>; rel="next"`,
      });
      expect(await catalog(`?n=2&last=${encodeURIComponent(all[1]!)}`)).toEqual({ repositories: all.slice(2), link: undefined });
      expect(await catalog('?n=4')).toEqual({ repositories: all, link: undefined });
      expect(await catalog('?n=0')).toEqual({ repositories: [], link: undefined });
      expect((await catalog('?n=x')).repositories).toEqual(all);
      // A `last` that names no repository: the names after where it would be.
      expect((await catalog(`?last=${encodeURIComponent(repo('a/a'))}`)).repositories).toEqual(all.slice(1));
    });

    it('refuses a host that is not the local registry with RegistryUnreachable', async () => {
      const { transport } = await make();
      await expect(transport.request({ method: 'GET', host: 'registry-1.docker.io', path: '/v2/', headers: {} })).rejects.toBeInstanceOf(
        RegistryUnreachable,
      );
    });
  });
}
