import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createRemoteEngine } from '../../src/client/remote-engine.js';
import type { SocketConstructor } from '../../src/client/session-socket.js';
import type { TerminalSize } from '../../src/engine/engine.js';
import { PushQueue } from '../../src/engine/push-queue.js';
import { ScriptedEngine } from '../sandbox/api-scripted-engine.js';
import { aSandboxServer, type Harness } from '../sandbox/api-harness.js';

// What the server's engine is handed for an interactive command: the learner's keys and
// terminal sizes, as the remote engine sends them over the session socket.
let harness: Harness;
let base: string;
const received: { stdin: string; sizes: TerminalSize[] }[] = [];
beforeAll(async () => {
  harness = await aSandboxServer(
    async () =>
      new ScriptedEngine(async (_line, opts) => {
        const got = { stdin: '', sizes: [] as TerminalSize[] };
        received.push(got);
        // The sizes end with the command (the server ends them), so they are not awaited.
        void (async () => {
          for await (const size of opts.resize ?? []) {
            got.sizes.push(size);
            opts.stdout?.(`${size.rows} ${size.cols}\r\n`);
          }
        })();
        for await (const chunk of opts.stdin ?? []) got.stdin += new TextDecoder().decode(chunk);
        return { stdout: '', stderr: '', exitCode: got.stdin.includes('\x03') ? 130 : 0 };
      }),
  );
  base = await harness.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => harness.close());

describe('remote engine: an interactive command over the session socket', () => {
  it("sends the learner's keys (^C as the byte a raw terminal sends) and every terminal size, and ends the input on Ctrl-D", async () => {
    const engine = await createRemoteEngine({ baseUrl: base, fetch, WebSocket: WebSocket as unknown as SocketConstructor });
    try {
      const stdin = new PushQueue<Uint8Array>();
      const sizes = new PushQueue<TerminalSize>({ keep: 'latest' });
      let shown = '';
      const running = engine.exec('docker run -it busybox sh', { stdin, resize: sizes, stdout: (t) => (shown += t) });
      sizes.push({ cols: 80, rows: 24 });
      stdin.push(new TextEncoder().encode('sleep 100\n'));
      for (let i = 0; i < 100 && !shown.includes('24 80'); i++) await new Promise((r) => setTimeout(r, 20));
      sizes.push({ cols: 132, rows: 43 });
      for (let i = 0; i < 100 && !shown.includes('43 132'); i++) await new Promise((r) => setTimeout(r, 20));
      stdin.push(new TextEncoder().encode('\x03'));
      stdin.end();
      expect((await running).exitCode).toBe(130);
      expect(shown).toBe('24 80\r\n43 132\r\n');
      expect(received.at(-1)).toEqual({
        stdin: 'sleep 100\n\x03',
        sizes: [
          { cols: 80, rows: 24 },
          { cols: 132, rows: 43 },
        ],
      });
    } finally {
      await engine.dispose();
    }
  });
});
