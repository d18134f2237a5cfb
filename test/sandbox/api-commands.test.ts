import { afterEach, describe, expect, it } from 'vitest';
import { truncateUtf8 } from '../../sandbox-server/sessions/session-command.js';
import { ScriptedEngine, echoScript, untilInterrupted, type Script } from './api-scripted-engine.js';
import { aSandboxServer, command, createSession, type Harness } from './api-harness.js';
import type { SessionLimits } from '../../sandbox-server/sessions/session-limits.js';
import { MAX_COMMAND_BODY_BYTES, MAX_COMMAND_LENGTH } from '../../sandbox-server/api/commands.routes.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function serverWith(script: Script, limits: Partial<SessionLimits> = {}) {
  harness = await aSandboxServer(async () => new ScriptedEngine(script), { limits });
  return { app: harness.app, session: await createSession(harness.app) };
}

describe('sandbox API: commands', () => {
  it('stops a foreground command at the wall-clock limit and says so (504 COMMAND_TIMEOUT, output so far)', async () => {
    const { app, session } = await serverWith(
      async (_line, opts) => {
        opts.stdout?.('started\n');
        return untilInterrupted(opts);
      },
      { commandTimeoutMs: 100 },
    );
    const started = Date.now();
    const res = await command(app, session, 'docker run busybox sleep 3600');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.statusCode).toBe(504);
    expect(res.json()).toEqual({
      error: { code: 'COMMAND_TIMEOUT', message: expect.stringContaining('docker run -d') },
      stdout: 'started\n',
      stderr: '',
    });
  });

  it('takes the longest command however it is escaped, and refuses a bigger body (413) before reading it whole', async () => {
    const { app, session } = await serverWith(echoScript);
    const longest = `docker run busybox echo ${'\u0001'.repeat(MAX_COMMAND_LENGTH - 24)}`;
    expect((await command(app, session, longest)).statusCode).toBe(200);
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/commands`,
      headers: { ...session.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ command: `docker run busybox echo ${'x'.repeat(MAX_COMMAND_BODY_BYTES)}` }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('answers even when an interrupted command does not stop, after a grace period', async () => {
    const { app, session } = await serverWith(() => new Promise(() => undefined), { commandTimeoutMs: 50, interruptGraceMs: 50 });
    const res = await command(app, session, 'docker run busybox sh -c "trap \'\' INT; sleep 3600"');
    expect(res.statusCode).toBe(504);
    expect(res.json().error.code).toBe('COMMAND_TIMEOUT');
    // It still counts against the session until it ends.
    expect(harness!.app.sandboxSessions.find(session.id, session.token)?.runningCommands).toBe(1);
  });

  it('bounds the output: keeps the first bytes, marks it truncated and stops the command', async () => {
    const { app, session } = await serverWith(
      async (_line, opts) => {
        let printed = '';
        while (!opts.signal?.aborted) {
          opts.stdout?.('y\n');
          printed += 'y\n';
          await Promise.resolve();
        }
        return { stdout: printed, stderr: '', exitCode: 130 };
      },
      { maxOutputBytes: 1000 },
    );
    const res = await command(app, session, 'docker run busybox yes');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ exitCode: 130, truncated: true, stderr: '' });
    expect(body.stdout).toBe('y\n'.repeat(500));
  });

  it('bounds output the engine returns without streaming it', async () => {
    const { app, session } = await serverWith(async () => ({ stdout: 'ab'.repeat(1000), stderr: 'err', exitCode: 0 }), { maxOutputBytes: 100 });
    const body = (await command(app, session, 'docker logs chatty')).json();
    expect(body).toEqual({ stdout: 'ab'.repeat(50), stderr: '', exitCode: 0, truncated: true });
  });

  it('runs a bounded number of commands at once per session (429 SESSION_BUSY)', async () => {
    const { app, session } = await serverWith((_line, opts) => untilInterrupted(opts), { maxConcurrentCommands: 2 });
    const running = [command(app, session, 'docker run busybox sleep 9'), command(app, session, 'docker run busybox sleep 9')];
    await new Promise((r) => setTimeout(r, 50));
    const third = await command(app, session, 'docker ps');
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe('SESSION_BUSY');
    await app.inject({ method: 'DELETE', url: `/api/sessions/${session.id}`, headers: session.auth });
    expect((await Promise.all(running)).map((r) => r.json().exitCode)).toEqual([130, 130]);
  });

  it('answers 500 with a request id, not a stack, when the engine throws', async () => {
    const { app, session } = await serverWith(async () => {
      throw new Error('engine bug at /work/main/src/engine/x.ts:12');
    });
    const res = await command(app, session, 'docker ps');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'INTERNAL', message: `the sandbox server failed to answer (request ${res.headers['x-request-id']})` },
    });
    expect(harness!.logs.some((line) => line.includes('engine bug'))).toBe(true);
  });

  it('answers a full session disk anywhere in a command as 507 QUOTA_EXCEEDED, not a 500', async () => {
    const { app, session } = await serverWith(async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    const res = await command(app, session, 'docker commit web');
    expect(res.statusCode).toBe(507);
    expect(res.json().error).toEqual({ code: 'QUOTA_EXCEEDED', message: expect.stringContaining('disk space') });
  });

  it("answers the engine's state snapshot", async () => {
    const { app, session } = await serverWith(echoScript);
    const res = await app.inject({ method: 'GET', url: `/api/sessions/${session.id}/state`, headers: session.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ schemaVersion: 1, backend: 'sim', images: [], layers: [], containers: [] });
  });
});

describe('truncateUtf8', () => {
  it('never splits a character', () => {
    expect(truncateUtf8('가나다', 7)).toBe('가나');
    expect(truncateUtf8('가나다', 6)).toBe('가나');
    expect(truncateUtf8('가나다', 9)).toBe('가나다');
    expect(truncateUtf8('a😀', 4)).toBe('a');
    expect(truncateUtf8('abc', 0)).toBe('');
  });
});
