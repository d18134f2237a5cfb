// The sandbox server as `npm start` runs it, started as a child process on 127.0.0.1 for
// the benchmarks that measure it from outside (sandbox, fair, load), and its HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

export type Session = { id: string; token: string };
export type CommandOutcome = { stdout: string; stderr: string; exitCode: number };

export interface ServerChild {
  base: string;
  pid: number;
  stateDir: string;
  api<T>(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  newSession(): Promise<Session>;
  command(s: Session, line: string): Promise<CommandOutcome>;
  /** PUTs one build-context file into the session. */
  putFile(s: Session, path: string, content: string | Uint8Array): Promise<void>;
  /**
   * The server's resident memory (bytes) and open descriptors, from /proc: TCP sockets
   * (the listener, clients' connections), its pooled host shells' stdio (socketpairs and
   * pipes, 3 per shell, at most 64 idle shells: host-shell.ts), libuv's own anonymous
   * inodes (epoll, eventfd, one inotify) and files (state, FIFOs, logs).
   */
  usage(): { rss: number; fds: number; tcp: number; shellStdio: number; anon: number; files: number };
  /** Closes the benchmark's kept-alive connections (as learners' browsers closing), so the server's sockets can be counted without them. */
  closeClients(): Promise<void>;
  stop(): Promise<void>;
}

/** `env` is added to the server's; with `LAYERLAB_SANDBOX: 'off'` the server is expected to run the simulator only. */
export async function startServer(work: string, env: Record<string, string> = {}): Promise<ServerChild> {
  const wantsSandbox = env.LAYERLAB_SANDBOX !== 'off';
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
  // A benchmark that throws before stop() would leave its server running, orphaned, on a shared machine.
  process.once('exit', () => server.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (b: Buffer) => {
      const line = b.toString();
      if (wantsSandbox && line.includes('simulator only')) reject(new Error(`the server has no sandbox: ${line.trim()}`));
      else if (line.includes('Layerlab is running')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

  // The benchmark's own keep-alive pool (a learner's browser keeps its connections too),
  // so that `closeClients` can end every connection it opened.
  const agent = new Agent({ keepAlive: true });
  function send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function api<T>(method: string, path: string, token?: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    const raw = body instanceof Uint8Array || typeof body === 'string';
    const headers = {
      ...extra,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': raw ? 'application/octet-stream' : 'application/json' } : {}),
    };
    const payload = body === undefined ? undefined : raw ? (body as string | Uint8Array) : JSON.stringify(body);
    // A kept-alive connection the server closed as idle (72 s) just as it was reused: sent
    // again — after a long pause many of the pool's connections are, so a few times.
    const retry = async (attempt: number): Promise<{ status: number; text: string }> =>
      send(method, path, headers, payload).catch((error: { code?: string }) => {
        if (attempt >= 8 || !['EPIPE', 'ECONNRESET'].includes(error.code ?? '') || server.exitCode !== null) throw error;
        return retry(attempt + 1);
      });
    const res = await retry(0);
    if (res.status < 200 || (res.status >= 300 && res.status !== 204)) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return (res.status === 204 || res.text === '' ? undefined : JSON.parse(res.text)) as T;
  }
  const pid = server.pid!;
  return {
    base,
    pid,
    stateDir,
    api,
    newSession: () => api<Session>('POST', '/api/sessions'),
    command: (s, line) => api<CommandOutcome>('POST', `/api/sessions/${s.id}/commands`, s.token, { command: line }),
    putFile: (s, path, content) =>
      api<void>('PUT', `/api/sessions/${s.id}/files/${path.split('/').map(encodeURIComponent).join('/')}`, s.token, content),
    usage: () => {
      const targets = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      });
      // TCP sockets are the listener and clients' connections; the rest of `socket:` are
      // the socketpairs libuv gives a child's stdio — the pooled host shells'.
      const tcpInodes = new Set(
        ['tcp', 'tcp6'].flatMap((f) => {
          try {
            return readFileSync(`/proc/${pid}/net/${f}`, 'utf8')
              .split('\n')
              .slice(1)
              .map((l) => l.trim().split(/\s+/)[9])
              .filter(Boolean) as string[];
          } catch {
            return [];
          }
        }),
      );
      const sockets = targets.filter((t) => t.startsWith('socket:'));
      const tcp = sockets.filter((t) => tcpInodes.has(t.slice('socket:['.length, -1))).length;
      const pipes = targets.filter((t) => t.startsWith('pipe:')).length;
      const anon = targets.filter((t) => t.startsWith('anon_inode:')).length;
      return {
        rss: Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024,
        fds: targets.length,
        tcp,
        shellStdio: sockets.length - tcp + pipes,
        anon,
        files: targets.length - sockets.length - pipes - anon,
      };
    },
    async closeClients() {
      agent.destroy();
      // The server sees each close on its next turn of the loop.
      await new Promise((r) => setTimeout(r, 500));
    },
    async stop() {
      agent.destroy();
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/** The 1-minute load average, printed at the start of each benchmark: the machine is shared. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
}
