import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { runInHostShell } from './host-shell.js';

export interface CommandResult {
  stdout: Buffer;
  stderr: Buffer;
  code: number;
}

/** A host command that exited non-zero (or could not start); carries what it printed. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    super(`\`${command}\` failed (exit ${result.code}): ${result.stderr.toString('utf8').trim() || result.stdout.toString('utf8').trim()}`);
    this.name = 'CommandError';
  }
}

export interface CommandOptions {
  cwd?: string;
  input?: Uint8Array;
  /** Exit codes that are not failures (default only 0). */
  ok?: readonly number[];
  /** Open descriptors the tool gets as its fds 3, 4, …: it names them `/proc/self/fd/3`…,
   * so a path is resolved from a directory the server opened (beneath.ts), not by name. */
  fds?: readonly number[];
}

/**
 * Runs a host tool (mount, tar, runc) to completion, collecting its output. The Linux
 * backends only ever exec fixed binaries with argument arrays — through a host shell
 * every word is single-quoted, never parsed — so a learner's text can not become a host
 * command.
 */
export function runCommand(cmd: string, args: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  if (!opts.input && !opts.fds) {
    // Through a pooled sh (host-shell.ts): a fork of sh instead of the whole server per tool.
    return runInHostShell(cmd, args, { cwd: opts.cwd }).then((result) => {
      if ((opts.ok ?? [0]).includes(result.code)) return result;
      throw new CommandError([cmd, ...args].join(' '), result);
    });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(opts.fds ?? [])] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) =>
      reject(new CommandError([cmd, ...args].join(' '), { stdout: Buffer.alloc(0), stderr: Buffer.from(e.message), code: -1 })),
    );
    child.on('close', (code, signal) => {
      const result = { stdout: Buffer.concat(out), stderr: Buffer.concat(err), code: code ?? 128 + signalNumber(signal) };
      if ((opts.ok ?? [0]).includes(result.code)) resolve(result);
      else reject(new CommandError([cmd, ...args].join(' '), result));
    });
    if (opts.input) child.stdin!.end(opts.input);
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  if (!signal) return 0;
  return constants.signals[signal] ?? 0;
}
