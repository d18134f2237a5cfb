import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { embedOriginsFromEnv } from '../../sandbox-server/api/embed-origins.js';
import { WS_PROTOCOL } from '../../sandbox-server/api/bearer-token.js';
import { aSandboxServer, createSession, type Harness } from './api-harness.js';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';
import { closeSockets, open } from './ws-terminal.js';

let harness: Harness | undefined;
afterEach(async () => {
  closeSockets();
  await harness?.close();
  harness = undefined;
});

const DOCS = 'https://docs.example';

async function server(origins: string | undefined): Promise<Harness> {
  harness = await aSandboxServer(async () => new ScriptedEngine(echoScript), {}, { embedOrigins: embedOriginsFromEnv(origins) });
  return harness;
}

describe('sandbox API: pages of other sites (LAYERLAB_EMBED_ORIGINS)', () => {
  it('reads the allow-list, and refuses what is not an origin', () => {
    expect(embedOriginsFromEnv(undefined)).toEqual(new Set());
    expect(embedOriginsFromEnv(' https://docs.example , http://127.0.0.1:8080/ ')).toEqual(new Set([DOCS, 'http://127.0.0.1:8080']));
    expect(embedOriginsFromEnv('*')).toBe('*');
    for (const wrong of ['docs.example', 'https://docs.example/path', 'ftp://docs.example', 'https://docs.example,*'])
      expect(() => embedOriginsFromEnv(wrong), wrong).toThrow(/LAYERLAB_EMBED_ORIGINS/);
  });

  it("answers an allowed origin's preflight and requests with its origin, never with credentials", async () => {
    const { app } = await server(DOCS);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/sessions',
      headers: { origin: DOCS, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': DOCS,
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'authorization, content-type',
      vary: 'Origin',
    });
    const created = await app.inject({ method: 'POST', url: '/api/sessions', headers: { origin: DOCS } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(DOCS);
    expect(created.headers['access-control-allow-credentials']).toBeUndefined();
    expect(created.headers['set-cookie']).toBeUndefined();
    const { id, token } = created.json<{ id: string; token: string }>();
    const ran = await app.inject({
      method: 'POST',
      url: `/api/sessions/${id}/commands`,
      headers: { origin: DOCS, authorization: `Bearer ${token}` },
      payload: { command: 'echo hi' },
    });
    expect(ran.statusCode).toBe(200);
    expect(ran.headers['access-control-allow-origin']).toBe(DOCS);
  });

  it('refuses another origin before a session is made, and by default every other origin', async () => {
    for (const origins of [DOCS, undefined]) {
      const h = await server(origins);
      const res = await h.app.inject({ method: 'POST', url: '/api/sessions', headers: { origin: 'https://evil.example' } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        error: { code: 'ORIGIN_NOT_ALLOWED', message: 'pages of https://evil.example may not use this sandbox (LAYERLAB_EMBED_ORIGINS)' },
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(h.engines).toEqual([]);
      await h.close();
      harness = undefined;
    }
  });

  it("the site's own pages keep working: their Origin is the host they asked", async () => {
    const { app } = await server(undefined);
    const res = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { origin: 'http://layerlab.test:4321', host: 'layerlab.test:4321' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("checks the WebSocket upgrade's Origin: a page of another site is refused, an allowed one gets its session's socket", async () => {
    const h = await server(DOCS);
    const base = (await h.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
    const session = await createSession(h.app);
    const url = `${base}/api/sessions/${session.id}/ws`;
    const protocols = [WS_PROTOCOL, `layerlab.bearer.${session.token}`];
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url, protocols, { origin: 'https://evil.example' });
      ws.on('unexpected-response', (req, res) => {
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(403);
    const terminal = await open(url, { protocols, origin: DOCS });
    terminal.send({ type: 'command', id: 'c1', command: 'echo hi' });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'c1', exitCode: 0 });
  });
});
