import type { WireLearner, WireWorkshop } from './class-rows.js';

/** What the dashboard's socket receives (issue 14's contract, `GET /api/workshops/:id/live`). */
export type LiveMessage =
  | { type: 'class'; workshop: WireWorkshop; learners: WireLearner[]; now?: number }
  | { type: 'learners'; learners: WireLearner[] }
  | { type: 'workshop'; workshop: WireWorkshop }
  | { type: 'watch'; learnerId: string; state: unknown }
  | { type: 'output'; learnerId: string; command: string; output: string; exitCode: number | null };

/** The server's close code for a socket that sent no valid secret in time. */
export const CLOSE_UNAUTHORIZED = 4401;
/** The server's close code when the workshop is deleted: nothing to reconnect to. */
export const CLOSE_GONE = 4404;

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'refused' | 'gone';

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 15_000;

/**
 * The dashboard's one live connection: authenticates with the secret as its first message (a
 * browser cannot set a header on a WebSocket, and a secret never goes in a URL), hands every
 * message on, and reconnects after a drop with a growing pause — the server's `class` message
 * then catches the table up. A refused secret ends it until `restart` (a revoked link's new one).
 */
export class ClassSocket {
  private socket: WebSocket | null = null;
  private watching: string | null = null;
  private retryMs = FIRST_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly secret: () => string,
    private readonly onMessage: (message: LiveMessage) => void,
    private readonly onStatus: (status: LiveStatus) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Drops the connection and opens a new one at once (a new secret). */
  restart(): void {
    this.stop();
    this.retryMs = FIRST_RETRY_MS;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000);
  }

  /** Watch one learner read-only (their picture and output), or no one; kept across reconnects. */
  watch(learnerId: string | null): void {
    this.watching = learnerId;
    this.send(learnerId ? { type: 'watch', learnerId } : { type: 'unwatch' });
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private connect(): void {
    this.onStatus('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ type: 'auth', secret: this.secret() }));
      if (this.watching) socket.send(JSON.stringify({ type: 'watch', learnerId: this.watching }));
    });
    socket.addEventListener('message', (event) => {
      if (this.socket !== socket) return;
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data)) as LiveMessage;
      } catch {
        return;
      }
      if (message.type === 'class') {
        this.retryMs = FIRST_RETRY_MS;
        this.onStatus('live');
      }
      this.onMessage(message);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (event.code === CLOSE_UNAUTHORIZED || event.code === CLOSE_GONE) {
        this.onStatus(event.code === CLOSE_GONE ? 'gone' : 'refused');
        return;
      }
      this.onStatus('offline');
      this.timer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
    });
  }
}

/** The live socket's address on this page's server. */
export function liveUrl(location: Pick<Location, 'protocol' | 'host'>, workshopId: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/workshops/${encodeURIComponent(workshopId)}/live`;
}
