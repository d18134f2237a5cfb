import type { LearnerSandbox, LearnerWorkshop } from '../workshop-api.js';

/** A hint from the instructor, to this learner or to everyone. */
export interface Hint {
  id: string;
  text: string;
  at: number;
  toAll: boolean;
}

/** What the server sends the learner (workshop-api.md, "Learner live"). */
export type LearnerServerMessage =
  { type: 'hint'; hint: Hint } | ({ type: 'reset' } & LearnerSandbox) | { type: 'workshop'; workshop: LearnerWorkshop };

/** What the learner sends, relayed to the instructors watching them; the server refuses (not buffers) what is over its caps. */
export type LearnerClientMessage =
  { type: 'auth'; token: string } | { type: 'state'; state: unknown } | { type: 'output'; command: string; output: string; exitCode: number };

/** The server's caps: a message over them is refused, so the page never sends one (state ≤ 256 KiB). */
export const STATE_CAP_BYTES = 256 * 1024;

/** Close codes after which trying again cannot help: the token is refused or the learner or workshop is gone. */
const FINAL_CLOSE_CODES = new Set([4401, 4403, 4404, 4410]);

export interface LearnerSocketOptions {
  url: string;
  token: string;
  onMessage(message: LearnerServerMessage): void;
  /** Open (after auth was sent) or not: a reconnect after a drop is when the page checks its sandbox. */
  onConnection(open: boolean, reconnected: boolean): void;
  /** Gone for good (a final close code): the token no longer admits this learner. */
  onRefused(code: number): void;
  WebSocket?: typeof WebSocket;
  /** First retry after this long, doubled up to `maxDelayMs` (jittered): a restarting server is not stormed by a class. */
  minDelayMs?: number;
  maxDelayMs?: number;
}

const isMessage = (value: unknown): value is LearnerServerMessage => {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'hint' || type === 'reset' || type === 'workshop';
};

/**
 * The learner's live socket (`GET …/learners/:id/live`): the resume token as its first message
 * (a browser can not set headers on a WebSocket, and a token never goes in a URL), then hints,
 * resets and the workshop's state from the server; opened again with backoff whenever it drops,
 * as the server restarts mid-class.
 */
export class LearnerSocket {
  private socket: WebSocket | undefined;
  private delay: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private everOpen = false;

  constructor(private readonly options: LearnerSocketOptions) {
    this.delay = options.minDelayMs ?? 500;
    this.connect();
  }

  get open(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Sends when open; a message over its cap, or sent while the socket is down, is dropped: it is a live view, not a record. */
  send(message: LearnerClientMessage): boolean {
    if (!this.open) return false;
    const text = JSON.stringify(message);
    if (message.type === 'state' && new TextEncoder().encode(text).length > STATE_CAP_BYTES) return false;
    this.socket!.send(text);
    return true;
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(1000);
  }

  private connect(): void {
    if (this.stopped) return;
    const Socket = this.options.WebSocket ?? WebSocket;
    const socket = new Socket(this.options.url);
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      socket.send(JSON.stringify({ type: 'auth', token: this.options.token } satisfies LearnerClientMessage));
      this.delay = this.options.minDelayMs ?? 500;
      const reconnected = this.everOpen;
      this.everOpen = true;
      this.options.onConnection(true, reconnected);
    });
    socket.addEventListener('message', (event) => {
      let value: unknown;
      try {
        value = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (isMessage(value)) this.options.onMessage(value);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      // A connection that never opened was no change: the page was not live before either.
      if (opened) this.options.onConnection(false, false);
      if (this.stopped) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.options.onRefused(event.code);
        return;
      }
      const max = this.options.maxDelayMs ?? 15_000;
      const wait = this.delay * (0.75 + Math.random() * 0.5);
      this.delay = Math.min(max, this.delay * 2);
      this.timer = setTimeout(() => this.connect(), wait);
    });
  }
}
