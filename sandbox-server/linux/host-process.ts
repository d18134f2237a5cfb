import { closeSync, constants, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { runCommand } from './command.js';
import { runInHostShell } from './host-shell.js';

/** A long-lived host tool started by a pooled host shell, its standard streams on FIFOs. */
export interface HostProcess {
  stdin?: Writable;
  stdout: Readable;
  stderr: Readable;
  /** The tool's exit status (128 + n when signal n killed it), as its shell saw it. */
  exit: Promise<number>;
  /**
   * Says the tool has opened its ends of the FIFOs (its caller saw it run, e.g. a pid
   * file): from now on stdout and stderr end when the tool's ends close. Also done at exit.
   */
  attached(): void;
}

const { O_RDONLY, O_WRONLY, O_RDWR, O_NONBLOCK } = constants;

/**
 * Starts `cmd args…` as a job of a pooled host shell (host-shell.ts) with its stdout and
 * stderr — and stdin if `withStdin` — on FIFOs named `<prefix>.out` etc., so that a
 * container's `runc run` or `runc exec` is a fork of sh, not of the whole server (libuv
 * forks the Node process for every spawn, and its event loop waits for the child's exec).
 *
 * Linux fifo(7): a reader that opens a FIFO before any writer reads end-of-file at once,
 * and a FIFO that no one holds open loses its data; so each FIFO is also held open for
 * writing here until `attached()`, and the shell's own opens never block (a reader, and
 * for stdin a writer, exist before it runs).
 */
export async function startInHostShell(cmd: string, args: readonly string[], prefix: string, withStdin: boolean): Promise<HostProcess> {
  const [inPath, outPath, errPath] = ['in', 'out', 'err'].map((name) => `${prefix}.${name}`) as [string, string, string];
  // A restarted container's bundle is new, but an earlier run's names must not stop this one.
  await Promise.all([inPath, outPath, errPath].map((path) => rm(path, { force: true })));
  await runCommand('mkfifo', ['-m', '0600', outPath, errPath, ...(withStdin ? [inPath] : [])]);
  const fds: number[] = [];
  const open = (path: string, flags: number) => {
    const fd = openSync(path, flags | O_NONBLOCK);
    fds.push(fd);
    return fd;
  };
  let holds: number[] = [];
  let stdout: Socket, stderr: Socket, stdin: Socket | undefined;
  try {
    const outFd = open(outPath, O_RDONLY);
    const errFd = open(errPath, O_RDONLY);
    // The writers' holds before any read can start (a writer's open needs a reader).
    holds = [open(outPath, O_WRONLY), open(errPath, O_WRONLY)];
    // Read-write: a writer that never blocks at open, and so a reader for the hold's open.
    const inFd = withStdin ? open(inPath, O_RDWR) : undefined;
    // Input may end before the shell opens the FIFO: a hold keeps it (and its data) until then.
    if (withStdin) holds.push(open(inPath, O_WRONLY));
    stdout = new Socket({ fd: outFd, readable: true, writable: false });
    stderr = new Socket({ fd: errFd, readable: true, writable: false });
    if (inFd !== undefined) stdin = new Socket({ fd: inFd, readable: false, writable: true });
  } catch (error) {
    for (const fd of fds) closeSync(fd);
    throw error;
  }
  const attached = () => {
    for (const fd of holds) closeSync(fd);
    holds = [];
  };
  const exit = runInHostShell(cmd, args, { stdin: withStdin ? inPath : undefined, stdout: outPath, stderr: errPath }).then(
    (r) => r.code,
    () => 255,
  );
  void exit.then(attached);
  return { stdin, stdout, stderr, exit, attached };
}
