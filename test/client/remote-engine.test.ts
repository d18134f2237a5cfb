import { describe, expect, it } from 'vitest';
import { createRemoteEngine } from '../../src/client/remote-engine.js';
import type { EngineEvent } from '../../src/engine/events.js';

/** A fake sandbox server: records requests and answers them like the API in DESIGN.md. */
function fakeServer() {
  const requests: { method: string; url: string; auth: string | null; body: unknown; keepalive: boolean }[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    requests.push({
      method,
      url,
      auth: headers.get('authorization'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
      keepalive: init?.keepalive === true,
    });
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (method === 'POST' && url === '/api/sessions') return json(201, { id: 's1', token: 't0k' });
    if (method === 'POST' && url === '/api/sessions/s1/commands') {
      const command = (requests.at(-1)!.body as { command: string }).command;
      if (command === 'docker run busybox sleep 999')
        return json(504, {
          error: { code: 'COMMAND_TIMEOUT', message: 'the command ran longer than 60s and was stopped' },
          stdout: 'partial\n',
          stderr: '',
        });
      return command.startsWith('docker rm nope')
        ? json(200, { stdout: '', stderr: 'Error response from daemon: No such container: nope\n', exitCode: 1 })
        : json(200, { stdout: 'hello\n', stderr: '', exitCode: 0 });
    }
    if (method === 'GET' && url === '/api/sessions/s1/state')
      return json(200, { schemaVersion: 1, backend: 'linux', images: [], layers: [], containers: [] });
    if (method === 'GET' && url === '/api/sessions/s2/state') return json(200, { schemaVersion: 2 });
    if (method === 'DELETE' && url === '/api/sessions/s1') return new Response(null, { status: 204 });
    return json(404, { error: 'not found' });
  }) as typeof fetch;
  return { requests, fetchFn };
}

describe('remote engine (the Engine API over the sandbox HTTP API)', () => {
  it('opens a session, sends commands with its token, streams output and emits command events', async () => {
    const server = fakeServer();
    const engine = await createRemoteEngine({ fetch: server.fetchFn });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const out: string[] = [];
    const result = await engine.exec('docker run busybox echo hello', { stdout: (t) => out.push(t) });
    expect(result).toEqual({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    expect(out).toEqual(['hello\n']);
    expect(server.requests[1]).toMatchObject({
      method: 'POST',
      url: '/api/sessions/s1/commands',
      auth: 'Bearer t0k',
      body: { command: 'docker run busybox echo hello' },
    });
    expect(events).toEqual([
      { type: 'command.started', command: 'docker run busybox echo hello' },
      { type: 'command.finished', command: 'docker run busybox echo hello', exitCode: 0 },
    ]);
    const failed = await engine.exec('docker rm nope', { stderr: (t) => out.push(t) });
    expect(failed.exitCode).toBe(1);
    expect(out.at(-1)).toContain('No such container: nope');
  });

  it('reports a command the server stopped at its time limit, with what it printed', async () => {
    const engine = await createRemoteEngine({ fetch: fakeServer().fetchFn });
    expect(await engine.exec('docker run busybox sleep 999')).toEqual({
      stdout: 'partial\n',
      stderr: 'layerlab: the command ran longer than 60s and was stopped\n',
      exitCode: 124,
    });
  });

  it('reads the state through the shared schema and deletes the session on dispose', async () => {
    const server = fakeServer();
    const engine = await createRemoteEngine({ fetch: server.fetchFn });
    expect((await engine.state()).backend).toBe('linux');
    await engine.dispose();
    // keepalive: the delete is sent as the page goes away, and must outlive it.
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/sessions/s1', auth: 'Bearer t0k', keepalive: true });
  });

  it('answers 130 when the learner interrupts, as docker does on SIGINT', async () => {
    const never = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input) === '/api/sessions') return new Response('{"id":"s1","token":"t"}', { status: 201 });
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }) as typeof fetch;
    const engine = await createRemoteEngine({ fetch: never });
    const controller = new AbortController();
    const pending = engine.exec('docker run busybox sleep 100', { signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ stdout: '', stderr: '', exitCode: 130 });
  });

  it('fails loudly on an HTTP error', async () => {
    const server = fakeServer();
    await expect(createRemoteEngine({ fetch: server.fetchFn, baseUrl: 'http://elsewhere' })).rejects.toThrow(/HTTP 404/);
  });
});
