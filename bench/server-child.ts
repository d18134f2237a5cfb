// The sandbox server as `npm start` runs it, started as a child process on 127.0.0.1 for
// the benchmarks that measure it from outside (sandbox, fair, load), and its HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export type Session = { id: string; token: string };
export type CommandOutcome = { stdout: string; stderr: string; exitCode: number };

export interface ServerChild {
  base: string;
  pid: number;
  stateDir: string;
  api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T>;
  newSession(): Promise<Session>;
  command(s: Session, line: string): Promise<CommandOutcome>;
  /** PUTs one build-context file into the session. */
  putFile(s: Session, path: string, content: string | Uint8Array): Promise<void>;
  /**
   * The server's resident memory (bytes) and open descriptors, from /proc: pipes (its
   * pooled host shells' stdio, 3 each), sockets (listening, and clients' kept-alive
   * connections) and the rest (files, FIFOs, epoll…).
   */
  usage(): { rss: number; fds: number; pipes: number; sockets: number; other: number };
  stop(): Promise<void>;
}

export async function startServer(work: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const base = `http://127.0.0.1:${port}`;
  const stateDir = join(work, 'state');
  // The state dir must be reachable by the user namespace's root (mkdtemp makes 0700).
  chmodSync(work, 0o755);
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox-server/main.ts'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      LAYERLAB_STATE_DIR: stateDir,
      LAYERLAB_SITE_DIR: join(work, 'no-site'),
      LAYERLAB_SESSIONS_PER_MINUTE: '10000',
      LAYERLAB_MAX_SESSIONS: '1000',
      LAYERLAB_SESSIONS_PER_ADDRESS: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => server.once('exit', r));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (b: Buffer) => {
      const line = b.toString();
      if (line.includes('simulator only')) reject(new Error(`the server has no sandbox: ${line.trim()}`));
      else if (line.includes('Layerlab is running')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

  async function api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
    const raw = body instanceof Uint8Array || typeof body === 'string';
    const send = () =>
      fetch(`${base}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': raw ? 'application/octet-stream' : 'application/json' } : {}) },
        body: body === undefined ? undefined : raw ? (body as string | Uint8Array) : JSON.stringify(body),
      });
    // A kept-alive connection the server closed as idle (72 s) just as it was reused: sent
    // again — after a long pause many of the pool's connections are, so a few times.
    const retry = async (attempt: number): Promise<Response> =>
      send().catch((error: { cause?: { code?: string } }) => {
        if (attempt >= 8 || !['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET'].includes(error.cause?.code ?? '') || server.exitCode !== null) throw error;
        return retry(attempt + 1);
      });
    const res = await retry(0);
    if (!res.ok && res.status !== 204) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
  const pid = server.pid!;
  return {
    base,
    pid,
    stateDir,
    api,
    newSession: () => api<Session>('POST', '/api/sessions'),
    command: (s, line) => api<CommandOutcome>('POST', `/api/sessions/${s.id}/commands`, s.token, { command: line }),
    putFile: (s, path, content) => api<void>('PUT', `/api/sessions/${s.id}/files/${path.split('/').map(encodeURIComponent).join('/')}`, s.token, content),
    usage: () => {
      const targets = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      });
      const pipes = targets.filter((t) => t.startsWith('pipe:')).length;
      const sockets = targets.filter((t) => t.startsWith('socket:')).length;
      return {
        rss: Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024,
        fds: targets.length,
        pipes,
        sockets,
        other: targets.length - pipes - sockets,
      };
    },
    async stop() {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** The 1-minute load average, printed at the start of each benchmark: the machine is shared. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
}
