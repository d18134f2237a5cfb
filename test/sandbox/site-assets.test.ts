import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../sandbox-server/app.js';
import { compressAssets } from '../../scripts/lib/compress-assets.mjs';

describe("sandbox server: the built site's assets", () => {
  let siteDir = '';
  const chunk = `export const words = ${JSON.stringify('layer '.repeat(4000))};\n`;
  beforeAll(async () => {
    siteDir = await mkdtemp(join(tmpdir(), 'layerlab-site-'));
    await mkdir(join(siteDir, '_astro'));
    await mkdir(join(siteDir, 'en'));
    await writeFile(join(siteDir, '_astro', 'monaco-base.AbC123.js'), chunk);
    await writeFile(join(siteDir, '_astro', 'tiny.X1.js'), 'export {};\n');
    await writeFile(join(siteDir, 'en', 'index.html'), `<!doctype html><title>en</title>${'<p>lesson</p>'.repeat(200)}`);
    expect(await compressAssets(siteDir)).toBe(2);
  });
  afterAll(async () => {
    await rm(siteDir, { recursive: true, force: true });
  });
  const app = () =>
    buildApp({
      siteDir,
      sandbox: { available: false, missing: [{ code: 'NOT_ROOT', reason: 'root (start it as root: sudo npm start)' }], runtime: null },
    });

  it('sends the brotli or gzip file the build wrote to a browser that accepts it, the same bytes', async () => {
    const server = await app();
    const br = await server.inject({ method: 'GET', url: '/_astro/monaco-base.AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(chunk.length / 10);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(chunk);
    const gz = await server.inject({ method: 'GET', url: '/_astro/monaco-base.AbC123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(chunk);
    const plain = await server.inject({ method: 'GET', url: '/_astro/monaco-base.AbC123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(chunk);
    await server.close();
  });

  it('lets a browser keep a hashed asset for good, and asks it to check a page again', async () => {
    const server = await app();
    // Too small to be worth compressing: sent as it is, whatever the browser accepts.
    const asset = await server.inject({ method: 'GET', url: '/_astro/tiny.X1.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-encoding']).toBeUndefined();
    expect(asset.body).toBe('export {};\n');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await server.inject({ method: 'GET', url: '/en/', headers: { 'accept-encoding': 'br' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).not.toContain('immutable');
    await server.close();
  });
});
