import WebSocket from 'ws';
import type { ServerMessage } from '../../sandbox-server/api/ws-protocol.js';

const sockets: WebSocket[] = [];

/** A terminal on a real socket: every message it received, and a way to wait for one. */
export class Terminal {
  readonly received: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as ServerMessage);
      this.waiters.forEach((w) => w());
    });
  }
  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }
  async next(match: (m: ServerMessage) => boolean, timeoutMs = 3_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(match);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no matching message; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

export function open(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<Terminal> {
  const socket = new WebSocket(url, options.protocols ?? [], options);
  sockets.push(socket);
  const terminal = new Terminal(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(terminal));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

/** Drops every socket `open` made (after each test). */
export function closeSockets(): void {
  for (const socket of sockets) socket.terminate();
  sockets.length = 0;
}
