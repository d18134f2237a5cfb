import type { CommandError, CommandResult, ExecOptions } from '../engine/engine.js';
import type { EngineEvent } from '../engine/events.js';

/** The part of the WebSocket API used here: the browser's, or `ws` in Node tests. */
export interface SocketLike {
  readonly readyState: number;
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: (event: { code?: number }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type SocketConstructor = new (url: string, protocols: string[]) => SocketLike;

/** What the server sends (sandbox-server/api/ws-protocol.ts; kept apart so the page does not import the server). */
type ServerMessage =
  | { type: 'stdout' | 'stderr'; id: string; data: string }
  | { type: 'exit'; id: string; exitCode: number | null; truncated?: true; timedOut?: true; error?: CommandError }
  | { type: 'event'; event: EngineEvent }
  | { type: 'error'; id?: string; error: { code: string; message: string } }
  | { type: 'pong' };

interface Pending {
  opts: ExecOptions;
  stdout: string;
  stderr: string;
  done(result: CommandResult): void;
  fail(error: Error): void;
}

/** The server closed the socket because the session ended (sandbox-server/api/ws-protocol.ts `WS_CLOSE_SESSION_ENDED`). */
export const CLOSE_SESSION_ENDED = 4000;

/**
 * The socket closed under a command: `SESSION_ENDED` when the server ended the session
 * (idle timeout, deleted), `CONNECTION_LOST` otherwise (server gone, network down).
 */
export class SocketClosed extends Error {
  constructor(
    readonly code: 'SESSION_ENDED' | 'CONNECTION_LOST',
    closeCode: number | undefined,
  ) {
    super(`the sandbox connection closed (${closeCode ?? 'no code'})`);
    this.name = 'SocketClosed';
  }
}

/** The subprotocols a browser offers: it can not send an Authorization header (bearer-token.ts). */
export const wsProtocols = (token: string) => ['layerlab.v1', `layerlab.bearer.${token}`];

/**
 * One open session WebSocket: commands with their output streamed as it is printed, and
 * every engine event in the order the server's engine emitted it — the build's step events
 * between the command's `command.started` and `command.finished`, the exit after them.
 */
export class SessionSocket {
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private closed = false;

  private constructor(
    private readonly socket: SocketLike,
    private readonly onEvent: (event: EngineEvent) => void,
    private readonly onClose: (code: number | undefined) => void,
  ) {
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) => {
      this.closed = true;
      // Docker's CLI loses its daemon the same way: the command's fate is unknown.
      const error = new SocketClosed(event.code === CLOSE_SESSION_ENDED ? 'SESSION_ENDED' : 'CONNECTION_LOST', event.code);
      for (const p of this.pending.values()) p.fail(error);
      this.pending.clear();
      this.onClose(event.code);
    });
  }

  /** Opens the socket; rejects when the upgrade is refused or never answered. */
  static open(
    Socket: SocketConstructor,
    url: string,
    token: string,
    onEvent: (event: EngineEvent) => void,
    onClose: (code: number | undefined) => void,
  ): Promise<SessionSocket> {
    return new Promise((resolve, reject) => {
      const socket = new Socket(url, wsProtocols(token));
      let opened = false;
      socket.addEventListener('open', () => {
        opened = true;
        resolve(new SessionSocket(socket, onEvent, onClose));
      });
      socket.addEventListener('error', () => {
        if (!opened) reject(new Error(`could not open ${url}`));
      });
      socket.addEventListener('close', () => {
        if (!opened) reject(new Error(`could not open ${url}`));
      });
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  run(command: string, opts: ExecOptions): Promise<CommandResult> {
    const id = `c${++this.next}`;
    return new Promise<CommandResult>((resolve, reject) => {
      const onAbort = () => this.send({ type: 'interrupt', id });
      const settle = () => opts.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        opts,
        stdout: '',
        stderr: '',
        done: (result) => (settle(), resolve(result)),
        fail: (error) => (settle(), reject(error)),
      });
      // Attached to the learner's terminal (`docker run -it`): its keys and its size follow the command.
      const interactive = opts.stdin !== undefined || opts.resize !== undefined;
      this.send({ type: 'command', id, command, ...(interactive ? { interactive: true } : {}) });
      if (opts.stdin)
        void this.pump(id, opts.stdin, (chunk, text) => ({ type: 'stdin', id, data: text.decode(chunk, { stream: true }) }), {
          type: 'stdin.end',
          id,
        });
      if (opts.resize) void this.pump(id, opts.resize, (size) => ({ type: 'resize', id, cols: size.cols, rows: size.rows }));
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sends what `source` yields while command `id` runs; `end` when the source ends first. */
  private async pump<T>(id: string, source: AsyncIterable<T>, message: (item: T, text: TextDecoder) => object, end?: object): Promise<void> {
    const text = new TextDecoder();
    try {
      for await (const item of source) {
        if (!this.pending.has(id)) return;
        this.send(message(item, text));
      }
      if (end && this.pending.has(id)) this.send(end);
    } catch {
      // A source that fails ends like one that ends.
      if (end && this.pending.has(id)) this.send(end);
    }
  }

  /** Tells the server the learner is still here (the session's idle clock starts again). */
  ping(): void {
    this.send({ type: 'ping' });
  }

  close(): void {
    this.closed = true;
    this.socket.close(1000, 'engine disposed');
  }

  private send(message: object): void {
    if (!this.closed) this.socket.send(JSON.stringify(message));
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as ServerMessage;
    switch (message.type) {
      case 'event':
        return this.onEvent(message.event);
      case 'stdout':
      case 'stderr': {
        const p = this.pending.get(message.id);
        if (!p) return;
        p[message.type] += message.data;
        p.opts[message.type]?.(message.data);
        return;
      }
      case 'exit': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.timedOut || message.exitCode === null) {
          // timeout(1)'s status for a command stopped at its time limit, as over HTTP.
          const note = "layerlab: the command ran past the session's time limit and was stopped; run long-lived containers with `docker run -d`\n";
          p.opts.stderr?.(note);
          return p.done({ stdout: p.stdout, stderr: p.stderr + note, exitCode: 124, ...(message.truncated ? { truncated: true } : {}) });
        }
        // The server's output cap (sandbox-server session-command.ts): the terminal says so.
        return p.done({
          stdout: p.stdout,
          stderr: p.stderr,
          exitCode: message.exitCode,
          ...(message.error ? { error: message.error } : {}),
          ...(message.truncated ? { truncated: true } : {}),
        });
      }
      case 'error': {
        const p = message.id === undefined ? undefined : this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id!);
        // A refusal before the command ran (busy session) reads as the CLI's error.
        const text = `layerlab: ${message.error.message}\n`;
        p.opts.stderr?.(text);
        return p.done({ stdout: p.stdout, stderr: p.stderr + text, exitCode: 1 });
      }
      case 'pong':
        return;
    }
  }
}
