import { SimFsError, type SimFs } from '../sim-fs.js';
import { Input, nullOutput, type Output } from '../process/streams.js';
import { resolvePath } from '../applets/util.js';
import type { Redir } from './ast.js';
import { expandString } from './expansion.js';
import type { Shell, ShellIO } from './interpreter.js';

/** Opens the redirections; undefined (after ash's message) when one fails. */
export async function applyRedirs(sh: Shell, redirs: Redir[], io: ShellIO): Promise<ShellIO | undefined> {
  if (redirs.length === 0) return io;
  const out: ShellIO = { ...io };
  for (const r of redirs) {
    if (r.heredoc) {
      const text = r.heredoc.expand ? await expandString(sh, r.heredoc.body, io) : r.heredoc.body.raw;
      setFd(out, r.fd, Input.of(text));
      continue;
    }
    const target = await expandString(sh, r.target, io);
    if (r.op === '>&' || r.op === '<&') {
      if (target === '-') continue;
      const src = fdOf(out, Number(target));
      if (!/^[0-9]+$/.test(target) || src === undefined) {
        io.stderr.write(`sh: ${target}: bad file descriptor\n`);
        return undefined;
      }
      setFd(out, r.fd, src);
      continue;
    }
    const path = resolvePath(sh.cwd, target);
    if (r.op === '<' || r.op === '<>') {
      if (target === '/dev/null') {
        setFd(out, r.fd, Input.empty());
        continue;
      }
      try {
        const bytes = sh.fs.readFile(path);
        setFd(out, r.fd, Input.of(bytes));
      } catch (e) {
        if (!(e instanceof SimFsError)) throw e;
        io.stderr.write(`sh: can't open ${target}: ${openErrorText(e, true)}\n`);
        return undefined;
      }
      continue;
    }
    if (target === '/dev/null') {
      setFd(out, r.fd, nullOutput);
      continue;
    }
    if (target === '/dev/stdout' || target === '/dev/stderr') {
      setFd(out, r.fd, target === '/dev/stdout' ? io.stdout : io.stderr);
      continue;
    }
    try {
      if (sh.fs.exists(path) && sh.fs.stat(path).type === 'dir') throw new SimFsError('EISDIR', path);
      if (r.op !== '>>') sh.fs.writeFile(path, new Uint8Array(0));
      else if (!sh.fs.exists(path)) sh.fs.writeFile(path, new Uint8Array(0));
    } catch (e) {
      if (!(e instanceof SimFsError)) throw e;
      io.stderr.write(`sh: can't create ${target}: ${openErrorText(e, false)}\n`);
      return undefined;
    }
    setFd(out, r.fd, fileOutput(sh.fs, path));
  }
  return out;
}

export function closeRedirs(_rio: ShellIO, _io: ShellIO): void {
  // Files are written through on every write; nothing to flush.
}

function fdOf(io: ShellIO, fd: number): Input | Output | undefined {
  return fd === 0 ? io.stdin : fd === 1 ? io.stdout : fd === 2 ? io.stderr : undefined;
}

function setFd(io: ShellIO, fd: number, s: Input | Output): void {
  if (fd === 0 && s instanceof Input) io.stdin = s;
  else if (fd === 1 && !(s instanceof Input)) io.stdout = s;
  else if (fd === 2 && !(s instanceof Input)) io.stderr = s;
}

function fileOutput(fs: SimFs, path: string): Output {
  return {
    isTTY: false,
    write(data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      fs.writeFile(path, bytes, { append: true });
    },
  };
}

/** ash's open() error wording differs from strerror for the common cases. */
function openErrorText(e: SimFsError, reading: boolean): string {
  if (e.code === 'ENOENT') return reading ? 'no such file' : 'nonexistent directory';
  return e.text;
}
