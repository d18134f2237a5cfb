import { describe, expect, it } from 'vitest';
import { probeBackend } from '../../src/client/health.js';

const answer = (status: number, body: string, type = 'application/json') => (async () => new Response(body, { status, headers: { 'content-type': type } })) as unknown as typeof fetch;

describe('backend probe', () => {
  it('picks the sandbox when the server runs real containers', async () => {
    expect(await probeBackend(answer(200, JSON.stringify({ status: 'ok', backend: 'linux', sandbox: { available: true, missing: [] } })))).toEqual({ backend: 'linux', reason: 'sandbox' });
  });

  it('picks the simulator, and says what the server lacks', async () => {
    expect(await probeBackend(answer(200, JSON.stringify({ status: 'ok', backend: 'sim', sandbox: { available: false, missing: ['root', 'overlayfs'] } })))).toEqual({
      backend: 'sim',
      reason: 'no-sandbox',
      missing: ['root', 'overlayfs'],
    });
  });

  it('picks the simulator on static hosting: no API, an HTML 404, or no network', async () => {
    expect(await probeBackend(answer(404, 'not found', 'text/html'))).toEqual({ backend: 'sim', reason: 'no-server' });
    expect(await probeBackend(answer(200, '<!doctype html>', 'text/html'))).toEqual({ backend: 'sim', reason: 'no-server' });
    expect(await probeBackend((async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch)).toEqual({ backend: 'sim', reason: 'no-server' });
  });
});
