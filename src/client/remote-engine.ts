import type { CommandResult, Engine, ExecOptions } from '../engine/engine.js';
import type { EngineEvent } from '../engine/events.js';
import { stateSchema, type StateSnapshot } from '../engine/state.js';

export class RemoteEngineError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RemoteEngineError';
  }
}

/**
 * The `Engine` API over the sandbox server's HTTP API (DESIGN.md: POST /api/sessions,
 * POST …/commands, GET …/state, DELETE …). Without the WebSocket stream, output comes
 * once the command ends, and `command.started/finished` events are emitted here so
 * the UI refreshes its state after every command, as it does on the simulator.
 */
export async function createRemoteEngine(options: { baseUrl?: string; fetch: typeof fetch }): Promise<Engine> {
  const base = options.baseUrl ?? '';
  const call = async (method: string, path: string, body?: unknown, signal?: AbortSignal, auth?: string, answers: number[] = []): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${auth}`;
    const res = await options.fetch(`${base}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body), signal: signal ?? null });
    if (!res.ok && !answers.includes(res.status)) throw new RemoteEngineError(`${method} ${path}: HTTP ${res.status} ${await res.text()}`, res.status);
    return res;
  };

  const session = (await (await call('POST', '/api/sessions', {})).json()) as { id: string; token: string };
  const sessionPath = `/api/sessions/${encodeURIComponent(session.id)}`;
  const listeners = new Set<(event: EngineEvent) => void>();
  const emit = (event: EngineEvent) => {
    for (const listener of listeners) listener(event);
  };

  return {
    async exec(commandLine: string, opts: ExecOptions = {}): Promise<CommandResult> {
      emit({ type: 'command.started', command: commandLine });
      let result: CommandResult;
      try {
        const res = await call('POST', `${sessionPath}/commands`, { command: commandLine }, opts.signal, session.token, [504]);
        const body = (await res.json()) as CommandResult & { error?: { message: string } };
        // The server stopped a command past its time limit (COMMAND_TIMEOUT); exit 124 is
        // timeout(1)'s status for that, and the reason joins what the command printed.
        result = res.status === 504 ? { stdout: body.stdout ?? '', stderr: `${body.stderr ?? ''}layerlab: ${body.error?.message ?? 'timed out'}\n`, exitCode: 124 } : body;
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
      return stateSchema.parse(await res.json());
    },
    workspace: {
      // The session's files directory over `…/files/<path>` (DESIGN.md: PUT a build-context file).
      async read(path) {
        const res = await call('GET', `${sessionPath}/files/${filePath(path)}`, undefined, undefined, session.token, [404]);
        return res.status === 404 ? undefined : new Uint8Array(await res.arrayBuffer());
      },
      async write(path, bytes) {
        const url = `${base}${sessionPath}/files/${filePath(path)}`;
        const res = await options.fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/octet-stream' }, body: bytes as BodyInit });
        if (!res.ok) throw new RemoteEngineError(`PUT ${sessionPath}/files/${path}: HTTP ${res.status} ${await res.text()}`, res.status);
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
      listeners.clear();
      await call('DELETE', sessionPath, undefined, undefined, session.token);
    },
  };
}

/** A context path as URL segments: each one escaped, the slashes kept. */
function filePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
