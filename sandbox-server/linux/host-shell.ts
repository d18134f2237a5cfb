import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

export interface ShellResult {
  stdout: Buffer;
  stderr: Buffer;
  code: number;
}

/** sh's single quotes take every byte literally but `'` itself, which is closed, escaped and reopened. */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('an argument can not hold a NUL byte');
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

interface Job {
  line: string;
  resolve(result: ShellResult): void;
  reject(error: Error): void;
}

/**
 * One long-lived /bin/sh that runs host tools for us, one at a time. It exists because
 * the server's fork is what a tool costs: libuv forks the whole Node process (hundreds of
 * MB of page tables) for every spawn, ~50 ms of CPU on a loaded 2-core machine, where sh
 * forks itself (a few hundred KB). Each job ends with a marker line on stdout and on
 * stderr carrying a per-shell random nonce, so a tool's own output can not end it early.
 */
class HostShell {
  private readonly child: ChildProcess;
  private readonly nonce = randomBytes(16).toString('hex');
  private out: Buffer[] = [];
  private err: Buffer[] = [];
  private code: number | undefined;
  private errDone = false;
  private job: Job | undefined;
  dead = false;

  constructor(private readonly onIdle: (shell: HostShell) => void) {
    // Own session: a Ctrl-C at the server's terminal must not kill the shell that runs shutdown's unmounts.
    this.child = spawn('/bin/sh', [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr!.on('data', (chunk: Buffer) => this.onStderr(chunk));
    this.child.stdin!.on('error', () => undefined);
    this.child.on('error', (error) => this.die(error));
    this.child.on('exit', (code, signal) => this.die(new Error(`the host shell exited (${signal ?? code})`)));
    this.setRef(false);
  }

  /** Idle shells must not keep a finished process (the `layerlab` command) alive. */
  private setRef(on: boolean): void {
    for (const handle of [this.child, this.child.stdin as Socket | null, this.child.stdout as Socket | null, this.child.stderr as Socket | null]) {
      if (on) handle?.ref();
      else handle?.unref();
    }
  }

  run(job: Job): void {
    this.job = job;
    this.out = [];
    this.err = [];
    this.code = undefined;
    this.errDone = false;
    this.setRef(true);
    this.child.stdin!.write(`${job.line}; s=$?; printf '\\n${this.nonce} %d\\n' "$s"; printf '\\n${this.nonce}\\n' >&2\n`);
  }

  private onStdout(chunk: Buffer): void {
    this.out.push(chunk);
    const all = Buffer.concat(this.out);
    const at = all.lastIndexOf(`\n${this.nonce} `);
    if (at < 0 || !all.subarray(at).toString('latin1').endsWith('\n')) return;
    this.code = Number(
      all
        .subarray(at + this.nonce.length + 2)
        .toString('latin1')
        .trim(),
    );
    this.out = [all.subarray(0, at)];
    this.settle();
  }

  private onStderr(chunk: Buffer): void {
    this.err.push(chunk);
    const all = Buffer.concat(this.err);
    const marker = `\n${this.nonce}\n`;
    if (
      !all
        .subarray(all.length - marker.length)
        .toString('latin1')
        .includes(marker)
    )
      return;
    this.err = [all.subarray(0, all.length - marker.length)];
    this.errDone = true;
    this.settle();
  }

  private settle(): void {
    if (this.code === undefined || !this.errDone || !this.job) return;
    const job = this.job;
    this.job = undefined;
    this.setRef(false);
    job.resolve({ stdout: Buffer.concat(this.out), stderr: Buffer.concat(this.err), code: this.code });
    this.onIdle(this);
  }

  /** sh exits at the end of its input. */
  close(): void {
    this.child.stdin!.end();
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.job?.reject(error);
    this.job = undefined;
  }
}

/**
 * Shells kept for reuse; more run at once when needed (a slow umount must not hold up a
 * mount, and each running container's `runc run` is a job of one, host-process.ts). An
 * idle sh is a few hundred KB; 50 sessions running a container each keep ~60 busy, and
 * every shell made anew is one more fork of the server.
 */
const MAX_IDLE = 64;
const idle: HostShell[] = [];

/** Where a tool's standard streams go: paths (FIFOs, see host-process.ts); stdin is /dev/null unless given. */
export interface HostShellOptions {
  cwd?: string;
  stdin?: string;
  stdout?: string;
  stderr?: string;
}

/**
 * Runs `cmd args…` (an argument array, every word quoted: never a learner's text as
 * shell syntax) in a pooled host shell, with stdin from /dev/null and `cwd` if given.
 * With `stdout`/`stderr` paths the tool writes there, not to the result.
 */
export function runInHostShell(cmd: string, args: readonly string[], opts: HostShellOptions = {}): Promise<ShellResult> {
  const words = [cmd, ...args].map(shellQuote).join(' ');
  const command = opts.cwd === undefined ? words : `(cd ${shellQuote(opts.cwd)} && exec ${words})`;
  const redirects = [`<${shellQuote(opts.stdin ?? '/dev/null')}`];
  if (opts.stdout !== undefined) redirects.push(`>${shellQuote(opts.stdout)}`);
  if (opts.stderr !== undefined) redirects.push(`2>${shellQuote(opts.stderr)}`);
  const line = `${command} ${redirects.join(' ')}`;
  return new Promise((resolve, reject) => {
    let shell = idle.pop();
    while (shell?.dead) shell = idle.pop();
    shell ??= new HostShell((s) => {
      if (!s.dead && idle.length < MAX_IDLE) idle.push(s);
      else s.close();
    });
    shell.run({ line, resolve, reject });
  });
}
