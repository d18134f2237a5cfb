import { describe, expect, it } from 'vitest';
import { buildApp } from '../../sandbox-server/app.js';
import { pickLocale } from '../../sandbox-server/site.js';

describe('sandbox server: health and site routing', () => {
  it('answers /api/health with which backend the site will use, and why', async () => {
    const app = await buildApp({
      siteDir: '/nonexistent',
      sandbox: { available: false, missing: [{ code: 'NOT_ROOT', reason: 'root (start it as root: sudo npm start)' }], runtime: null },
    });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      backend: 'sim',
      sandbox: { available: false, missing: [{ code: 'NOT_ROOT', reason: 'root (start it as root: sudo npm start)' }], runtime: null },
      sessions: { available: false, capacity: 300, inUse: 0, free: 300, perAddress: 20 },
      registry: { available: false, missing: [] },
    });
    await app.close();
  });

  it('says whether push and pull work on the sandbox, by a code the page words, and never where the registry listens', async () => {
    const missing = [{ code: 'NO_REGISTRY' as const, reason: 'docker-registry for docker push and pull (apt-get install docker-registry)' }];
    const app = await buildApp({
      siteDir: '/nonexistent',
      sandbox: { available: true, missing: [], runtime: '/usr/sbin/runc' },
      imageRegistry: () => ({ available: false, missing }),
    });
    const body = (await app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(body.registry).toEqual({ available: false, missing });
    expect(body.sandbox).toEqual({ available: true, missing: [], runtime: '/usr/sbin/runc' });
    await app.close();
  });

  it('redirects / by Accept-Language, Korean by default', async () => {
    const app = await buildApp({ siteDir: '/nonexistent', sandbox: { available: false, missing: [], runtime: null } });
    const en = await app.inject({ method: 'GET', url: '/', headers: { 'accept-language': 'en-GB,en;q=0.9,ko;q=0.5' } });
    expect(en.statusCode).toBe(302);
    expect(en.headers.location).toBe('/en/');
    const none = await app.inject({ method: 'GET', url: '/' });
    expect(none.headers.location).toBe('/ko/');
    await app.close();
  });

  it('picks the highest-weighted language it has', () => {
    expect(pickLocale('fr-FR, en;q=0.4, ko;q=0.8')).toBe('ko');
    expect(pickLocale('de, en;q=0.1')).toBe('en');
    expect(pickLocale('ko;q=0, en;q=0')).toBe('ko');
  });
});
