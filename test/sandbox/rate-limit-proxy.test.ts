import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../sandbox-server/app.js';
import { trustProxyFromEnv, type TrustProxy } from '../../sandbox-server/trust-proxy.js';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';

const PROXY = '10.0.0.9';
let app: FastifyInstance | undefined;
let stateDir: string | undefined;
afterEach(async () => {
  await app?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  app = undefined;
  stateDir = undefined;
});

/** A server allowing one new session per client address, reached through a proxy at PROXY. */
async function behindProxy(trustProxy?: TrustProxy): Promise<(client: string) => Promise<number>> {
  stateDir = mkdtempSync(join(tmpdir(), 'layerlab-proxy-'));
  app = await buildApp({
    siteDir: '/nonexistent',
    sandbox: { available: true, missing: [], runtime: '/usr/sbin/runc' },
    ...(trustProxy === undefined ? {} : { trustProxy }),
    sessions: { stateDir, engineFactory: async () => new ScriptedEngine(echoScript), limits: { createBurst: 1, createPerMinute: 1 } },
  });
  return async (client) =>
    (await app!.inject({ method: 'POST', url: '/api/sessions', remoteAddress: PROXY, headers: { 'x-forwarded-for': client } })).statusCode;
}

describe('rate limit behind a reverse proxy (LAYERLAB_TRUST_PROXY)', () => {
  it('by default keys on the socket address: X-Forwarded-For is a client’s word, not believed', async () => {
    const create = await behindProxy();
    expect(await create('192.0.2.1')).toBe(201);
    // A different forged client address does not buy a fresh bucket.
    expect(await create('192.0.2.2')).toBe(429);
  });

  it('trusting the proxy, limits each client it forwards for', async () => {
    const create = await behindProxy(trustProxyFromEnv(PROXY));
    expect(await create('192.0.2.1')).toBe(201);
    expect(await create('192.0.2.1')).toBe(429);
    expect(await create('192.0.2.2')).toBe(201);
  });

  it('trusting one hop, believes only the address the proxy appended, not what the client sent before it', async () => {
    const create = await behindProxy(trustProxyFromEnv('1'));
    expect(await create('203.0.113.7, 192.0.2.1')).toBe(201);
    expect(await create('203.0.113.8, 192.0.2.1')).toBe(429);
    expect(await create('192.0.2.2')).toBe(201);
  });

  it('reads the setting: off, true, a hop count, or addresses and CIDRs', () => {
    expect(trustProxyFromEnv(undefined)).toBe(false);
    expect(trustProxyFromEnv('false')).toBe(false);
    expect(trustProxyFromEnv('true')).toBe(true);
    expect(trustProxyFromEnv('1')).toBe(1);
    expect(trustProxyFromEnv('127.0.0.1, 10.0.0.0/8,::1')).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(() => trustProxyFromEnv('proxy.example')).toThrow(/LAYERLAB_TRUST_PROXY/);
  });
});
