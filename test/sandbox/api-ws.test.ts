import { afterEach, describe, expect, it } from 'vitest';
import { ScriptedEngine, echoScript, untilInterrupted, type Script } from './api-scripted-engine.js';
import { aSandboxServer, createSession, type Created, type Harness } from './api-harness.js';
import { closeSockets, open } from './ws-terminal.js';
import { MAX_COMMAND_LENGTH } from '../../sandbox-server/api/commands.routes.js';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../sandbox-server/api/ws-protocol.js';

let harness: Harness | undefined;
afterEach(async () => {
  closeSockets();
  await harness?.close();
  harness = undefined;
});

async function listening(script: Script, limits = {}): Promise<{ base: string; session: Created }> {
  harness = await aSandboxServer(async () => new ScriptedEngine(script), { limits });
  const address = await harness.app.listen({ host: '127.0.0.1', port: 0 });
  return { base: address.replace('http', 'ws'), session: await createSession(harness.app) };
}

const wsUrl = (base: string, s: Created) => `${base}/api/sessions/${s.id}/ws`;

describe('sandbox API: the session WebSocket', () => {
  it("streams a command's output as it is produced, then its exit, and the engine's events", async () => {
    let release!: () => void;
    const { base, session } = await listening(async (line, opts, emit) => {
      emit({ type: 'command.started', command: line });
      opts.stdout?.('first\n');
      await new Promise<void>((resolve) => (release = resolve));
      opts.stderr?.('warning\n');
      emit({ type: 'command.finished', command: line, exitCode: 0 });
      return { stdout: 'first\n', stderr: 'warning\n', exitCode: 0 };
    });
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'c1', command: 'docker run busybox echo first' });
    // The first line arrives while the command is still running.
    expect(await terminal.next((m) => m.type === 'stdout')).toEqual({ type: 'stdout', id: 'c1', data: 'first\n' });
    expect(terminal.received.some((m) => m.type === 'exit')).toBe(false);
    release();
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'c1', exitCode: 0 });
    expect(terminal.received).toEqual([
      { type: 'event', event: { type: 'command.started', command: 'docker run busybox echo first' } },
      { type: 'stdout', id: 'c1', data: 'first\n' },
      { type: 'stderr', id: 'c1', data: 'warning\n' },
      { type: 'event', event: { type: 'command.finished', command: 'docker run busybox echo first', exitCode: 0 } },
      { type: 'exit', id: 'c1', exitCode: 0 },
    ]);
  });

  it('sends events of commands run over HTTP to the open socket too', async () => {
    const { base, session } = await listening(async (line, opts, emit) => {
      emit({ type: 'image.tagged', id: 'sha256:' + 'a'.repeat(64), tag: 'mine:latest' });
      return echoScript(line, opts, emit);
    });
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    await harness!.app.inject({
      method: 'POST',
      url: `/api/sessions/${session.id}/commands`,
      headers: session.auth,
      payload: { command: 'docker tag busybox mine' },
    });
    expect(await terminal.next((m) => m.type === 'event')).toEqual({
      type: 'event',
      event: { type: 'image.tagged', id: 'sha256:' + 'a'.repeat(64), tag: 'mine:latest' },
    });
  });

  it('feeds an interactive command its stdin, and ends it on stdin.end', async () => {
    const { base, session } = await listening(async (_line, opts) => {
      let got = '';
      for await (const chunk of opts.stdin!) {
        got += Buffer.from(chunk).toString();
        opts.stdout?.(Buffer.from(chunk).toString().toUpperCase());
      }
      return { stdout: got.toUpperCase(), stderr: '', exitCode: 0 };
    });
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'sh', command: 'docker run -it busybox sh', interactive: true });
    terminal.send({ type: 'stdin', id: 'sh', data: 'ls\n' });
    expect(await terminal.next((m) => m.type === 'stdout')).toEqual({ type: 'stdout', id: 'sh', data: 'LS\n' });
    terminal.send({ type: 'stdin.end', id: 'sh' });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'sh', exitCode: 0 });
  });

  it("passes an interactive command its terminal's sizes (resize), and refuses a size out of 1..1000 or for no such command", async () => {
    const seen: string[] = [];
    const { base, session } = await listening(async (_line, opts) => {
      for await (const size of opts.resize!) {
        seen.push(`${size.cols}x${size.rows}`);
        opts.stdout?.(`${size.rows} ${size.cols}\n`);
      }
      return { stdout: '', stderr: '', exitCode: 0 };
    });
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'sh', command: 'docker run -it busybox sh', interactive: true });
    terminal.send({ type: 'resize', id: 'sh', cols: 120, rows: 40 });
    expect(await terminal.next((m) => m.type === 'stdout')).toEqual({ type: 'stdout', id: 'sh', data: '40 120\n' });
    terminal.send({ type: 'resize', id: 'sh', cols: 0, rows: 40 });
    terminal.send({ type: 'resize', id: 'sh', cols: 80, rows: 1001 });
    terminal.send({ type: 'resize', id: 'sh', cols: 80.5, rows: 24 });
    terminal.send({ type: 'resize', id: 'other', cols: 80, rows: 24 });
    terminal.send({ type: 'resize', id: 'sh', cols: 1000, rows: 1 });
    expect(await terminal.next((m) => m.type === 'stdout' && m.data !== '40 120\n')).toEqual({ type: 'stdout', id: 'sh', data: '1 1000\n' });
    const errors = terminal.received.filter((m) => m.type === 'error');
    expect(errors.map((m) => m.type === 'error' && m.error.code)).toEqual([
      'INVALID_MESSAGE',
      'INVALID_MESSAGE',
      'INVALID_MESSAGE',
      'NO_SUCH_COMMAND',
    ]);
    expect(errors[0]!.type === 'error' && errors[0]!.error.message).toMatch(/cols/);
    expect(errors[1]!.type === 'error' && errors[1]!.error.message).toMatch(/rows/);
    expect(seen).toEqual(['120x40', '1000x1']);
  });

  it('sends no sizes to a command not attached to the terminal', async () => {
    const { base, session } = await listening((_line, opts) => untilInterrupted(opts));
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'c', command: 'docker run busybox sleep 3600' });
    terminal.send({ type: 'resize', id: 'c', cols: 80, rows: 24 });
    expect(await terminal.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      id: 'c',
      error: { code: 'NO_SUCH_COMMAND', message: 'no interactive command c is running' },
    });
    terminal.send({ type: 'interrupt', id: 'c' });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'c', exitCode: 130 });
  });

  it('interrupts a command on Ctrl-C', async () => {
    const { base, session } = await listening((_line, opts) => untilInterrupted(opts));
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'c', command: 'docker run busybox sleep 3600' });
    await new Promise((r) => setTimeout(r, 50));
    terminal.send({ type: 'interrupt', id: 'c' });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'c', exitCode: 130 });
  });

  it('reports a timed-out command on its exit message', async () => {
    const { base, session } = await listening((_line, opts) => untilInterrupted(opts), { commandTimeoutMs: 50 });
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'c', command: 'docker run busybox sleep 3600' });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'c', exitCode: 130, timedOut: true });
  });

  it('authenticates a browser by the layerlab.bearer.<token> subprotocol, and answers with layerlab.v1 only', async () => {
    const { base, session } = await listening(echoScript);
    const terminal = await open(wsUrl(base, session), { protocols: ['layerlab.v1', `layerlab.bearer.${session.token}`] });
    expect(terminal.socket.protocol).toBe('layerlab.v1');
    terminal.send({ type: 'ping' });
    expect(await terminal.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
  });

  it("refuses the upgrade without a token (401) and with another session's token (404)", async () => {
    const { base, session } = await listening(echoScript);
    const other = await createSession(harness!.app);
    await expect(open(wsUrl(base, session))).rejects.toThrow('HTTP 401');
    await expect(open(wsUrl(base, session), { headers: other.auth })).rejects.toThrow('HTTP 404');
    await expect(open(wsUrl(base, session), { protocols: ['layerlab.v1', `layerlab.bearer.${other.token}`] })).rejects.toThrow('HTTP 404');
  });

  it('answers a bad message with an error message and keeps the socket open', async () => {
    const { base, session } = await listening(echoScript);
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.socket.send('not json');
    terminal.send({ type: 'command', id: 'c' });
    terminal.send({ type: 'stdin', id: 'nope', data: 'x' });
    terminal.send({ type: 'command', id: 'ok', command: 'docker run busybox echo fine' });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'ok', exitCode: 0 });
    const errors = terminal.received.filter((m) => m.type === 'error');
    expect(errors.map((m) => m.type === 'error' && m.error.code)).toEqual(['INVALID_MESSAGE', 'INVALID_MESSAGE', 'NO_SUCH_COMMAND']);
  });

  it('takes the longest command, every character escaped, and closes on a frame past it (1009) without holding it', async () => {
    const { base, session } = await listening(echoScript);
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    const longest = `docker run busybox echo ${'\u0001'.repeat(MAX_COMMAND_LENGTH - 24)}`;
    terminal.send({ type: 'command', id: 'long', command: longest });
    expect(await terminal.next((m) => m.type === 'exit')).toEqual({ type: 'exit', id: 'long', exitCode: 0 });
    const closed = new Promise<number>((resolve) => terminal.socket.once('close', (code) => resolve(code)));
    terminal.socket.send(JSON.stringify({ type: 'stdin', id: 'long', data: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES) }));
    expect(await closed).toBe(1009);
  });

  it('closes the socket (4000) when the session is deleted', async () => {
    const { base, session } = await listening(echoScript);
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    const closed = new Promise<number>((resolve) => terminal.socket.once('close', (code) => resolve(code)));
    await harness!.app.inject({ method: 'DELETE', url: `/api/sessions/${session.id}`, headers: session.auth });
    expect(await closed).toBe(4000);
  });

  it('interrupts the commands of a terminal that hangs up', async () => {
    let interrupted = false;
    const { base, session } = await listening(async (_line, opts) => {
      const result = await untilInterrupted(opts);
      interrupted = true;
      return result;
    });
    const terminal = await open(wsUrl(base, session), { headers: session.auth });
    terminal.send({ type: 'command', id: 'c', command: 'docker run busybox sleep 3600' });
    await new Promise((r) => setTimeout(r, 50));
    terminal.socket.close();
    await expect.poll(() => interrupted).toBe(true);
  });
});
