/**
 * The filesystem a simulated process sees: the merged (union) view of a container's
 * rootfs. Synchronous, because it is all in memory and the shell's applets are
 * simplest and fastest that way. Paths are absolute; symlinks are followed except by
 * the `l*` calls. Errors are `SimFsError`s carrying POSIX codes, so applets can print
 * busybox's messages (`rm: can't remove 'x': No such file or directory`).
 */
export interface SimFs {
  stat(path: string): SimStat;
  lstat(path: string): SimStat;
  exists(path: string): boolean;
  readFile(path: string): Uint8Array;
  /** Creates or truncates (or appends to) a regular file; new files get `mode` (default 0o644). */
  writeFile(path: string, data: Uint8Array, opts?: { append?: boolean; mode?: number }): void;
  mkdir(path: string, opts?: { mode?: number }): void;
  /** Entry names, sorted. */
  readdir(path: string): string[];
  unlink(path: string): void;
  rmdir(path: string): void;
  rename(from: string, to: string): void;
  symlink(target: string, path: string): void;
  readlink(path: string): string;
  chmod(path: string, mode: number): void;
  chown(path: string, uid: number, gid: number): void;
  /** Sets the modification time (ms since the epoch). */
  utimes(path: string, mtimeMs: number): void;
  /** Resolves symlinks and `.`/`..` to an absolute path (ENOENT if a component is missing). */
  realpath(path: string): string;
}

export type SimFileType = 'file' | 'dir' | 'symlink' | 'chardev';

export interface SimStat {
  type: SimFileType;
  /** Permission bits only (0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  nlink: number;
}

export type SimFsCode = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EINVAL' | 'ELOOP' | 'EACCES' | 'EROFS' | 'EXDEV' | 'EBUSY';

const MESSAGES: Record<SimFsCode, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  ELOOP: 'Symbolic link loop',
  EACCES: 'Permission denied',
  EROFS: 'Read-only file system',
  EXDEV: 'Invalid cross-device link',
  EBUSY: 'Device or resource busy',
};

export class SimFsError extends Error {
  constructor(
    readonly code: SimFsCode,
    readonly path: string,
  ) {
    // An errno, not a bug: shells and applets throw these on every missed PATH entry and
    // test -e, so the stack V8 would capture (most of their cost) is left out.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(MESSAGES[code]);
    Error.stackTraceLimit = limit;
    this.name = 'SimFsError';
  }
  /** The strerror text busybox prints (`No such file or directory`). */
  get text(): string {
    return MESSAGES[this.code];
  }
}
