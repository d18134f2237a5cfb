import { describe, expect, it } from 'vitest';
import { BADGE_KEYS, fallbackFor, missingKey, onBackendChange, probeBackend, settleBackend, type BackendChoice } from '../../src/client/health.js';
import { SANDBOX_MISSING_CODES } from '../../sandbox-server/prereqs.js';
import { createRemoteEngine } from '../../src/client/remote-engine.js';
import en from '../../src/i18n/en.json' with { type: 'json' };
import ko from '../../src/i18n/ko.json' with { type: 'json' };

const answer = (status: number, body: string, type = 'application/json') =>
  (async () => new Response(body, { status, headers: { 'content-type': type } })) as unknown as typeof fetch;

describe('backend probe', () => {
  it('picks the sandbox when the server runs real containers', async () => {
    expect(await probeBackend(answer(200, JSON.stringify({ status: 'ok', backend: 'linux', sandbox: { available: true, missing: [] } })))).toEqual({
      backend: 'linux',
      reason: 'sandbox',
    });
  });

  it("picks the simulator, and says what the server lacks by code (the words are the page's)", async () => {
    const missing = [
      { code: 'NOT_ROOT', reason: 'root (start it as root: sudo npm start)' },
      { code: 'NO_OVERLAYFS', reason: 'overlayfs (modprobe overlay)' },
    ];
    expect(
      await probeBackend(
        answer(200, JSON.stringify({ status: 'ok', backend: 'sim', sandbox: { available: false, missing: [...missing, 'root', {}] } })),
      ),
    ).toEqual({
      backend: 'sim',
      reason: 'no-sandbox',
      missing,
    });
  });

  it('picks the simulator on static hosting: no API, an HTML 404, or no network', async () => {
    expect(await probeBackend(answer(404, 'not found', 'text/html'))).toEqual({ backend: 'sim', reason: 'no-server' });
    expect(await probeBackend(answer(200, '<!doctype html>', 'text/html'))).toEqual({ backend: 'sim', reason: 'no-server' });
    expect(await probeBackend((async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch)).toEqual({
      backend: 'sim',
      reason: 'no-server',
    });
  });
});

describe('a sandbox that refuses the page a session', () => {
  /** The page's session request, answered by a server that refuses it. */
  const refusal = async (status: number, code: string) => {
    const fetchFn = answer(status, JSON.stringify({ error: { code, message: 'no' } }));
    return createRemoteEngine({ fetch: fetchFn }).then(
      () => undefined,
      (error: unknown) => error,
    );
  };

  it('falls back to the simulator and says why: the server is full, the address holds its share, or no sandbox', async () => {
    expect(fallbackFor(await refusal(503, 'SERVER_FULL'))).toEqual({ backend: 'sim', reason: 'server-full' });
    expect(fallbackFor(await refusal(429, 'TOO_MANY_SESSIONS'))).toEqual({ backend: 'sim', reason: 'address-full' });
    expect(fallbackFor(await refusal(429, 'RATE_LIMITED'))).toEqual({ backend: 'sim', reason: 'address-full' });
    expect(fallbackFor(await refusal(503, 'SANDBOX_UNAVAILABLE'))).toEqual({ backend: 'sim', reason: 'no-sandbox', missing: [] });
  });

  it('does not hide other failures behind the simulator', async () => {
    expect(fallbackFor(await refusal(500, 'INTERNAL'))).toBeUndefined();
    expect(fallbackFor(new TypeError('Failed to fetch'))).toBeUndefined();
  });

  it('tells the badge, which has words for every reason in both languages', () => {
    const seen: BackendChoice[] = [];
    const off = onBackendChange((choice) => seen.push(choice));
    settleBackend({ backend: 'sim', reason: 'server-full' });
    off();
    expect(seen).toEqual([{ backend: 'sim', reason: 'server-full' }]);
    for (const key of Object.values(BADGE_KEYS)) {
      expect(en).toHaveProperty([key]);
      expect(ko).toHaveProperty([key]);
    }
  });

  it('has words in both languages for every reason code the server sends for no sandbox', () => {
    expect(SANDBOX_MISSING_CODES.length).toBeGreaterThan(0);
    for (const code of SANDBOX_MISSING_CODES) {
      expect(en, code).toHaveProperty([missingKey(code)]);
      expect(ko, code).toHaveProperty([missingKey(code)]);
    }
  });
});
