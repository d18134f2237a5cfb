import { readFile, readlink } from 'node:fs/promises';
import { runCommand } from './command.js';

/** util-linux `script` (Debian: bsdutils, Essential) — the one program here that makes a pty for another. */
export const SCRIPT = '/usr/bin/script';

/** Docker's console size before the client has said its own. */
export const DEFAULT_TTY_SIZE = { cols: 80, rows: 24 };

/**
 * The command line that runs `file args…` (the OCI runtime) on a pty of its own.
 *
 * Why: runc in the foreground with `process.terminal: true` and no `--console-socket`
 * makes the container's pty itself and relays it to its own stdin/stdout, but only when
 * its stdin is a terminal. The other way, `--console-socket`, hands over the pty master by
 * SCM_RIGHTS, which Node can not receive. So `script` gives runc a terminal (the outer pty),
 * set raw and without echo: bytes pass through it untouched, and the container's own pty
 * (the inner one) does the line discipline — echo, ^C → SIGINT, "\n" → "\r\n" — as Docker's does.
 * `-e` makes script exit with runc's status, which is the container process's.
 * runc's own messages go to fd 3 (a pipe), so they are not mixed into the container's
 * output: until the process runs, only runc writes there.
 */
export function onPty(file: string, args: string[], size = DEFAULT_TTY_SIZE): { file: string; args: string[] } {
  const inner = `stty raw -echo rows ${int(size.rows)} cols ${int(size.cols)} && exec ${[file, ...args].map(shellQuote).join(' ')} 2>&3`;
  return { file: SCRIPT, args: ['--quiet', '--flush', '--return', '--echo', 'never', '--command', inner, '/dev/null'] };
}

/**
 * Sets the size of the pty that `script` (at `scriptPid`) gave the runtime. The kernel
 * sends SIGWINCH to the runtime (the pty's foreground process), and runc copies its
 * stdin's size to the container's console, which signals the container's foreground
 * process in turn — the path a resized terminal window takes under `docker run -t`.
 */
export async function resizePty(scriptPid: number, size: { cols: number; rows: number }): Promise<void> {
  const slave = await outerSlave(scriptPid);
  await runCommand('stty', ['-F', slave, 'rows', String(int(size.rows)), 'cols', String(int(size.cols))]);
}

/** The pty slave script's child (runc, after `exec`) has as its stdin. */
async function outerSlave(scriptPid: number): Promise<string> {
  const children = (await readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    const target = await readlink(`/proc/${child}/fd/0`).catch(() => '');
    if (/^\/dev\/pts\/\d+$/.test(target)) return target;
  }
  throw new Error(`no pty under process ${scriptPid}`);
}

function int(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RangeError(`terminal size out of range: ${n}`);
  return n;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
