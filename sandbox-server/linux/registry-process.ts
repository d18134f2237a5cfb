import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { registryConfig, registryPaths } from './registry-config.js';
import { processStartTime, type ResourceTracker } from './cleanup.js';

/** Debian's `docker-registry` package: distribution 2.8's `registry` binary. */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export function registryBinary(): string | undefined {
  return existsSync(REGISTRY_BINARY) ? REGISTRY_BINARY : undefined;
}

/** What the registry's log lines are written to: the server's (pino) logger, or a test's. */
export interface RegistryLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const quietLog: RegistryLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The registry process is not serving (it could not start, died too often, or the server is stopping). */
export class RegistryDown extends Error {
  readonly code = 'REGISTRY_DOWN';
  constructor(reason: string) {
    super(`the sandbox's registry is not running (${reason})`);
    this.name = 'RegistryDown';
  }
}

export interface RegistryProcessOptions {
  stateDir: string;
  binary?: string;
  log?: RegistryLog;
  /** Journal of what the server made (cleanup.ts): the process is recorded while it runs. */
  tracker?: ResourceTracker;
  /** Restarts allowed within `restartWindowMs` before the registry is given up as down (default 5 in 10 min). */
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long a start may take until `GET /v2/` answers (default 15 s). */
  startTimeoutMs?: number;
}

/** The registry's storage dir and a config with a new secret (an upload begun before a restart is refused, as on any registry's restart). */
export async function writeRegistryConfig(stateDir: string): Promise<ReturnType<typeof registryPaths>> {
  const paths = registryPaths(stateDir);
  await mkdir(paths.storage, { recursive: true, mode: 0o700 });
  const config = registryConfig({ storage: paths.storage, secret: randomBytes(32).toString('hex') });
  await writeFile(`${paths.config}.tmp`, config, { mode: 0o600 });
  await rename(`${paths.config}.tmp`, paths.config);
  return paths;
}

const LISTENING = /listening on 127\.0\.0\.1:(\d+)/;

/**
 * Debian's `docker-registry serve` as a child of the server, on a loopback port the kernel
 * picks at each start (registry-config.ts), its storage under the state dir. Started before
 * the first session; restarted when it dies, at most `maxRestarts` times in `restartWindowMs`
 * (a registry that dies at once would otherwise be started in a loop); stopped by its PID.
 */
export class RegistryProcess {
  log: RegistryLog;
  /** Called each time it serves again after dying (registry-host.ts sweeps then). */
  onRestart: (() => void) | undefined;
  private child: ChildProcess | undefined;
  private port: number | undefined;
  private starting: Promise<void> | undefined;
  private stopped = false;
  private down: string | undefined;
  private readonly restarts: number[] = [];
  private exited: Promise<void> = Promise.resolve();

  private constructor(private readonly options: RegistryProcessOptions & { binary: string }) {
    this.log = options.log ?? quietLog;
  }

  /** Starts the registry and waits until it answers `GET /v2/`. */
  static async start(options: RegistryProcessOptions): Promise<RegistryProcess> {
    const binary = options.binary ?? registryBinary();
    if (!binary) throw new RegistryDown('docker-registry is not installed (apt-get install docker-registry)');
    const registry = new RegistryProcess({ ...options, binary });
    await registry.launch();
    return registry;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times it was started again after dying. */
  get restartCount(): number {
    return this.restarts.length;
  }

  /** Why it is not serving and will not again (given up, or stopped); undefined while it serves or restarts. */
  get downReason(): string | undefined {
    return this.down;
  }

  /** `http://127.0.0.1:<port>` of the running registry; during a restart, once it answers again. */
  async origin(): Promise<string> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (this.down !== undefined || this.port === undefined) throw new RegistryDown(this.down ?? 'not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** SIGTERM by PID (SIGKILL after 5 s), and no restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.down = 'stopped';
    await this.starting?.catch(() => undefined);
    const child = this.child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return this.exited;
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  private launch(): Promise<void> {
    this.starting = this.spawnOnce().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async spawnOnce(): Promise<void> {
    const paths = await writeRegistryConfig(this.options.stateDir);
    this.port = undefined;
    const child = spawn(this.options.binary, ['serve', paths.config], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let resolveExit!: () => void;
    this.exited = new Promise((r) => (resolveExit = r));
    const record = child.pid !== undefined ? { kind: 'process' as const, pid: child.pid, startTime: processStartTime(child.pid) ?? '' } : undefined;
    if (record) await this.options.tracker?.track(record);
    const listening = new Promise<number>((resolve, reject) => {
      const onLine = (line: string) => {
        const entry = parseLogLine(line);
        this.logLine(entry);
        const port = LISTENING.exec(entry.msg)?.[1];
        if (port) resolve(Number(port));
      };
      for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', onLine);
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`it exited (${signal ?? `code ${code}`}) before listening`)));
    });
    child.once('exit', (code, signal) => {
      resolveExit();
      if (record) void this.options.tracker?.untrack(record).catch(() => undefined);
      if (this.child === child) this.onExit(code, signal);
    });
    const timeout = this.options.startTimeoutMs ?? 15_000;
    try {
      const port = await withTimeout(listening, timeout, 'it did not listen in time');
      await answersV2(port, Date.now() + timeout);
      this.port = port;
      this.log.info({ pid: child.pid, port }, 'registry started');
    } catch (error) {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      throw new RegistryDown(`docker-registry could not start: ${(error as Error).message}`);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.port = undefined;
    if (this.stopped) return;
    const now = Date.now();
    const window = this.options.restartWindowMs ?? 10 * 60_000;
    while (this.restarts.length > 0 && this.restarts[0]! <= now - window) this.restarts.shift();
    if (this.restarts.length >= (this.options.maxRestarts ?? 5)) {
      this.down = `it died ${this.restarts.length + 1} times within ${Math.round(window / 1000)} s`;
      this.log.error({ code, signal }, `registry died and is not started again: ${this.down}; push and pull are refused until the server restarts`);
      return;
    }
    this.restarts.push(now);
    this.log.warn({ code, signal, restarts: this.restarts.length }, 'registry died; starting it again');
    this.launch().then(
      () => this.onRestart?.(),
      (error: unknown) => {
        this.down = (error as Error).message;
        this.log.error({ err: error }, 'registry could not be started again; push and pull are refused');
      },
    );
  }

  private logLine(entry: LogEntry): void {
    // The registry's own chatter is the server's debug; its warnings and errors stay what they are.
    const fields = { component: 'registry', ...(entry.error ? { error: entry.error } : {}) };
    if (entry.level === 'error' || entry.level === 'fatal' || entry.level === 'panic') this.log.error(fields, entry.msg);
    else if (entry.level === 'warning' || entry.level === 'warn') this.log.warn(fields, entry.msg);
    else this.log.debug(fields, entry.msg);
  }
}

interface LogEntry {
  level: string;
  msg: string;
  error?: string;
}

/** logrus's JSON formatter (`log.formatter: json`); a line that is not JSON (a Go panic) is an error as it is. */
function parseLogLine(line: string): LogEntry {
  try {
    const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown; error?: unknown };
    if (typeof parsed.msg === 'string') {
      return {
        level: typeof parsed.level === 'string' ? parsed.level : 'info',
        msg: parsed.msg,
        error: typeof parsed.error === 'string' ? parsed.error : undefined,
      };
    }
  } catch {
    // not JSON
  }
  return { level: 'error', msg: line };
}

/** distribution: `GET /v2/` is 200 `{}` once the app serves (no auth configured). */
async function answersV2(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('GET /v2/ did not answer in time');
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
