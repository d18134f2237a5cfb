import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { createSession, type Created } from './api-harness.js';
import { closeSockets, open, type Terminal } from './ws-terminal.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** What the command `id` has printed so far, as a terminal shows it. */
const printed = (t: Terminal, id: string) => t.received.map((m) => (m.type === 'stdout' && m.id === id ? m.data : '')).join('');

describe.skipIf(!run)('the session WebSocket drives `docker run -it` on a real pty (root)', () => {
  const sandbox = useLinuxSandboxApp('layerlab-ws-tty-');
  let session: Created;
  let url: string;

  beforeAll(async () => {
    const { app } = sandbox;
    session = await createSession(app);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    url = `${address.replace('http', 'ws')}/api/sessions/${session.id}/ws`;
  });
  afterAll(async () => {
    closeSockets();
  });

  it(
    "a resize message reaches the container's pty; ^C as input interrupts the foreground job; `exit 3` is the exit",
    { timeout: 60_000 },
    async () => {
      const terminal = await open(url, { headers: session.auth });
      terminal.send({ type: 'command', id: 'sh', command: 'docker run -it --rm busybox sh', interactive: true });
      terminal.send({ type: 'resize', id: 'sh', cols: 77, rows: 33 });
      // The size arrives by signals (SIGWINCH to runc, then to the shell): ask until it shows.
      for (let i = 0; i < 50 && !/\r\n33 77\r\n/.test(printed(terminal, 'sh')); i++) {
        terminal.send({ type: 'stdin', id: 'sh', data: 'stty size\n' });
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(printed(terminal, 'sh')).toMatch(/\r\n33 77\r\n/);
      terminal.send({ type: 'stdin', id: 'sh', data: 'sleep 100\n' });
      await terminal.next(() => /sleep 100\r\n$/.test(printed(terminal, 'sh')));
      await new Promise((r) => setTimeout(r, 300));
      terminal.send({ type: 'stdin', id: 'sh', data: '\x03' });
      await terminal.next(() => /\^C\r\n\/ # /.test(printed(terminal, 'sh')));
      terminal.send({ type: 'stdin', id: 'sh', data: 'exit 3\n' });
      expect(await terminal.next((m) => m.type === 'exit', 10_000)).toEqual({ type: 'exit', id: 'sh', exitCode: 3 });
      expect(terminal.received.filter((m) => m.type === 'error' || m.type === 'stderr')).toEqual([]);
    },
  );
});
