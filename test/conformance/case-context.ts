import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A case's build context (`@context <dir>`) as the oracle recorded it: the files git
 * stores, with the modes git stores. Git keeps only "executable or not" (100755 / 100644)
 * and a checkout applies the user's umask on top, so under umask 002 `hello.txt` is 0664 —
 * and the classic builder's `COPY file:<hash>` (a hash over the file's tar header, mode
 * included) and the layer's diffID change with it. The cases were recorded from a checkout
 * under umask 022; replaying (and re-recording) from a copy made here gives every checkout
 * the same context, whatever its umask.
 *
 * Returns a fresh directory under the system temp dir; the caller removes it.
 */
export function checkoutContext(source: string): string {
  const target = mkdtempSync(join(tmpdir(), 'layerlab-case-context-'));
  copyTree(source, target);
  return target;
}

// git's modes under umask 022: dirs and executables 0755, other files 0644.
const DIR_MODE = 0o755;
const fileMode = (mode: number): number => (mode & 0o111 ? 0o755 : 0o644);

function copyTree(source: string, target: string): void {
  for (const name of readdirSync(source).sort()) {
    const from = join(source, name);
    const to = join(target, name);
    const st = lstatSync(from);
    if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (st.isDirectory()) {
      mkdirSync(to);
      copyTree(from, to);
      chmodSync(to, DIR_MODE);
    } else if (st.isFile()) {
      copyFileSync(from, to);
      chmodSync(to, fileMode(st.mode));
    } else throw new Error(`${from}: a case's context holds only what git stores (files, dirs, symlinks)`);
  }
  // mkdtemp made the root 0700; `COPY . /dir` gives /dir the root's mode, as a checkout has it.
  chmodSync(target, DIR_MODE);
}
