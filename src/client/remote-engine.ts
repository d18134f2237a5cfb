import { englishIssue } from '../engine/schema-messages.js';
import type { CommandResult, Engine, ExecOptions } from '../engine/engine.js';
import { bytesReader } from '../engine/drivers/bytes-reader.js';
import type { Workspace } from '../engine/drivers/workspace.js';
import type { EngineEvent } from '../engine/events.js';
import type { StateSnapshot } from '../engine/state.js';
import { CLOSE_SESSION_ENDED, SessionSocket, type SocketConstructor } from './session-socket.js';
import { concatBytes } from '../engine/format/concat-bytes.js';

export class RemoteEngineError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The API's stable code (`{"error": {"code"}}`), when the answer had one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RemoteEngineError';
  }
}

/** The sandbox's engine, with what a page needs to keep its session: a ping and the server's idle timeout. */
export interface RemoteEngine extends Engine {
  /** The server's idle timeout (`LAYERLAB_SESSION_IDLE_MS`), when it said. */
  readonly idleTimeoutMs: number | undefined;
  /** Starts the session's idle clock again; rejects as a command would (`NO_SUCH_SESSION`, `UNREACHABLE`). */
  ping(): Promise<void>;
  /** The session's files directory (`…/files/<path>`). */
  readonly workspace: Workspace;
}

/** The session is gone from the server (idle timeout, deleted, a restart): a new one is needed. */
export const SESSION_GONE_CODES: ReadonlySet<string> = new Set(['NO_SUCH_SESSION', 'SESSION_ENDED', 'SESSION_FAILED']);

/** The `error.code` of an API answer's body, if it is one. */
function errorCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export interface RemoteEngineOptions {
  baseUrl?: string;
  fetch: typeof fetch;
  /**
   * The WebSocket constructor (the browser's; `ws` in Node). With it, commands run over
   * the session's socket: output streams as it is printed and every engine event — a
   * build's step events too — arrives as the server's engine emits it.
   */
  WebSocket?: SocketConstructor;
  /**
   * A session the page was handed (a workshop's join or resume, src/workshop/): the engine
   * uses it instead of asking `POST /api/sessions` for one of its own.
   */
  session?: { id: string; token: string; idleTimeoutMs?: number };
}

/**
 * The `Engine` API over the sandbox server's API (DESIGN.md: POST /api/sessions,
 * GET …/state, …/files, …/ws, DELETE …). Over the WebSocket the events are the server
 * engine's own, so the page's islands see what they see on the simulator. Without one
 * (or while it can not be opened), commands go over HTTP: output comes once the command
 * ends, and `command.started/finished` are emitted here so the UI still refreshes.
 */
export async function createRemoteEngine(options: RemoteEngineOptions): Promise<RemoteEngine> {
  const base = options.baseUrl ?? '';
  // The server ended the session (its socket closed so, or an answer said so): every later call would be a 404.
  let ended = false;
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    auth?: string,
    answers: number[] = [],
  ): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${auth}`;
    // A session's delete is sent as the page goes away (page-engine.ts): keepalive lets it outlive the page.
    const res = await options
      .fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
        keepalive: method === 'DELETE',
      })
      .catch((error: unknown) => {
        // fetch rejects only when no answer came: the server is down or the network is.
        if (signal?.aborted) throw error;
        throw new RemoteEngineError(
          `${method} ${path}: the sandbox server did not answer (${error instanceof Error ? error.message : String(error)})`,
          0,
          'UNREACHABLE',
        );
      });
    if (!res.ok && !answers.includes(res.status)) {
      const body = await res.text();
      const code = errorCode(body);
      if (code !== undefined && SESSION_GONE_CODES.has(code)) ended = true;
      throw new RemoteEngineError(`${method} ${path}: HTTP ${res.status} ${body}`, res.status, code);
    }
    return res;
  };

  const session =
    options.session ?? ((await (await call('POST', '/api/sessions', {})).json()) as { id: string; token: string; idleTimeoutMs?: number });
  const sessionPath = `/api/sessions/${encodeURIComponent(session.id)}`;
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };
  let disposed = false;
  let refused = false;
  const gone = () => new RemoteEngineError(`session ${session.id} ended`, 404, 'SESSION_ENDED');
  let socket: Promise<SessionSocket | undefined> | undefined;
  // Opened at once and again after a drop. A refused upgrade (a proxy without WebSockets)
  // is not retried: every command would wait for it; HTTP still works.
  const connect = (): Promise<SessionSocket | undefined> => {
    const Socket = options.WebSocket;
    if (!Socket || disposed || refused) return Promise.resolve(undefined);
    socket ??= SessionSocket.open(Socket, wsUrl(`${base}${sessionPath}/ws`), session.token, emit, (code) => {
      socket = undefined;
      if (code === CLOSE_SESSION_ENDED) ended = true;
    }).catch(() => {
      refused = true;
      socket = undefined;
      return undefined;
    });
    return socket;
  };
  await connect();

  return {
    idleTimeoutMs: typeof session.idleTimeoutMs === 'number' ? session.idleTimeoutMs : undefined,
    async ping() {
      if (ended) throw gone();
      const live = options.WebSocket ? await connect() : undefined;
      if (live?.open) live.ping();
      // Any authenticated request starts the idle clock again (session-auth.ts).
      else await call('GET', `${sessionPath}/state`, undefined, undefined, session.token);
    },
    async exec(commandLine: string, opts: ExecOptions = {}): Promise<CommandResult> {
      if (ended) throw gone();
      const live = options.WebSocket ? await connect() : undefined;
      if (live?.open) return live.run(commandLine, opts);
      emit({ type: 'command.started', command: commandLine });
      let result: CommandResult;
      try {
        const res = await call('POST', `${sessionPath}/commands`, { command: commandLine }, opts.signal, session.token, [504]);
        const body = (await res.json()) as CommandResult & { error?: { message: string } };
        // The server stopped a command past its time limit (COMMAND_TIMEOUT); exit 124 is
        // timeout(1)'s status for that, and the reason joins what the command printed.
        result =
          res.status === 504
            ? { stdout: body.stdout ?? '', stderr: `${body.stderr ?? ''}layerlab: ${body.error?.message ?? 'timed out'}\n`, exitCode: 124 }
            : body;
      } catch (err) {
        // Docker: the CLI exits 130 on SIGINT (128 + 2).
        if (opts.signal?.aborted) result = { stdout: '', stderr: '', exitCode: 130 };
        else throw err;
      }
      if (result.stdout) opts.stdout?.(result.stdout);
      if (result.stderr) opts.stderr?.(result.stderr);
      emit({ type: 'command.finished', command: commandLine, exitCode: result.exitCode });
      return result;
    },
    async state(): Promise<StateSnapshot> {
      const res = await call('GET', `${sessionPath}/state`, undefined, undefined, session.token);
      // The server's snapshot is checked here, where it enters the page; the schema (zod) is
      // fetched with the first one, so a page on the simulator never loads it (issue 15).
      const { stateSchema } = await import('../engine/state.js');
      return stateSchema.parse(await res.json(), { error: englishIssue });
    },
    workspace: {
      // The session's files directory over `…/files/<path>` (DESIGN.md: PUT a build-context file).
      async read(path) {
        const res = await call('GET', `${sessionPath}/files/${filePath(path)}`, undefined, undefined, session.token, [404]);
        return res.status === 404 ? undefined : new Uint8Array(await res.arrayBuffer());
      },
      // The page's files are small (an editor's): one GET carries them, as `read` does.
      async open(path) {
        const bytes = await this.read(path);
        return bytes && bytesReader(bytes);
      },
      async write(path, bytes) {
        const url = `${base}${sessionPath}/files/${filePath(path)}`;
        const res = await options.fetch(url, {
          method: 'PUT',
          headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/octet-stream' },
          body: bytes as BodyInit,
        });
        if (!res.ok) throw new RemoteEngineError(`PUT ${sessionPath}/files/${path}: HTTP ${res.status} ${await res.text()}`, res.status);
      },
      // The page's files are small (an editor's); one PUT carries them, as `write` does.
      async writeStream(path, chunks) {
        const parts: Uint8Array[] = [];
        for await (const c of chunks) parts.push(c);
        await this.write(path, concatBytes(parts));
      },
      async list(dir = '') {
        const res = await call('GET', `${sessionPath}/files`, undefined, undefined, session.token);
        const { files } = (await res.json()) as { files: { path: string; size: number }[] };
        const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
        return files.filter((f) => f.path.startsWith(prefix)).map((f) => ({ path: f.path, kind: 'file' as const, mode: 0o644, size: f.size }));
      },
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      disposed = true;
      listeners.clear();
      // Sent before any await: on pagehide nothing after the first await may run. A session
      // the server ended is not deleted again (a 404 the browser would log).
      const deleted = ended ? Promise.resolve() : call('DELETE', sessionPath, undefined, undefined, session.token);
      (await socket)?.close();
      await deleted;
    },
  };
}

/** The socket's address: the page's own host (a relative base), ws: or wss: as the page is served. */
function wsUrl(path: string): string {
  const url = new URL(path, globalThis.location?.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** A context path as URL segments: each one escaped, the slashes kept. */
function filePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
