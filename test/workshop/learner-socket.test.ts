import { afterEach, describe, expect, it, vi } from 'vitest';
import { LearnerSocket, STATE_CAP_BYTES, type LearnerServerMessage } from '../../src/workshop/learner/learner-socket.js';

type Listener = (event: { code?: number; data?: unknown }) => void;

/** A WebSocket that the test opens, feeds and closes by hand. */
class FakeSocket {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.fire('close', { code });
  }
  fire(type: string, event: { code?: number; data?: unknown } = {}) {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

function open(onRefused = vi.fn()) {
  const messages: LearnerServerMessage[] = [];
  const connections: [boolean, boolean][] = [];
  const socket = new LearnerSocket({
    url: 'ws://site/api/workshops/w/learners/l/live',
    token: 'resume-token',
    onMessage: (m) => messages.push(m),
    onConnection: (isOpen, again) => connections.push([isOpen, again]),
    onRefused,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    minDelayMs: 10,
    maxDelayMs: 40,
  });
  return { socket, messages, connections, onRefused };
}

describe('the learner live socket', () => {
  afterEach(() => {
    FakeSocket.made = [];
    vi.useRealTimers();
  });

  it('authenticates with its first message (never the URL), and takes only the contract messages', () => {
    const { messages } = open();
    const ws = FakeSocket.made[0]!;
    expect(ws.url).not.toContain('resume-token');
    ws.fire('open');
    expect(JSON.parse(ws.sent[0]!)).toEqual({ type: 'auth', token: 'resume-token' });
    ws.fire('message', { data: JSON.stringify({ type: 'hint', hint: { id: 'h1', text: 'hi', at: 1, toAll: true } }) });
    ws.fire('message', { data: 'not json' });
    ws.fire('message', { data: JSON.stringify({ type: 'other' }) });
    expect(messages).toEqual([{ type: 'hint', hint: { id: 'h1', text: 'hi', at: 1, toAll: true } }]);
  });

  it('opens again with growing delays after a drop, says it reconnected, and stops on a refusal', async () => {
    vi.useFakeTimers();
    const { connections, onRefused } = open();
    FakeSocket.made[0]!.fire('open');
    FakeSocket.made[0]!.close(1006);
    expect(FakeSocket.made).toHaveLength(1);
    // Attempts that never open while the server is down: no news for the page.
    for (let i = 1; i <= 3; i++) {
      await vi.advanceTimersByTimeAsync(60);
      expect(FakeSocket.made).toHaveLength(i + 1);
      if (i < 3) FakeSocket.made[i]!.close(1006);
    }
    FakeSocket.made[3]!.fire('open');
    expect(connections).toEqual([
      [true, false],
      [false, false],
      [true, true],
    ]);
    FakeSocket.made[3]!.close(4401);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeSocket.made).toHaveLength(4);
    expect(onRefused).toHaveBeenCalledWith(4401);
  });

  it('sends state and output only while open, and never a state over the cap', () => {
    const { socket } = open();
    const ws = FakeSocket.made[0]!;
    expect(socket.send({ type: 'output', command: 'docker ps', output: '', exitCode: 0 })).toBe(false);
    ws.fire('open');
    expect(socket.send({ type: 'output', command: 'docker ps', output: 'x', exitCode: 0 })).toBe(true);
    expect(socket.send({ type: 'state', state: { big: 'x'.repeat(STATE_CAP_BYTES) } })).toBe(false);
    expect(ws.sent.map((s) => (JSON.parse(s) as { type: string }).type)).toEqual(['auth', 'output']);
  });
});
