import type { ProcessTable, SimProcess } from './process/process-table.js';
import { SimFsError, type SimFs, type SimFileType, type SimStat } from './sim-fs.js';

/**
 * What procfs lists at the top of a busybox container on runc (Linux 6.x, Docker's masks:
 * `interrupts`, `keys`, `timer_list` are /dev/null bound over them, `acpi` a read-only
 * tmpfs), besides the PID dirs. What a kernel lists depends on its config; these are the
 * ones test/sandbox/proc-listing.linux.test.ts finds on the sandbox's kernel too.
 */
const ROOT_ENTRIES: Readonly<Record<string, ProcEntry>> = {
  acpi: { type: 'dir', mode: 0o1777, owner: 'root' },
  ...Object.fromEntries(['bus', 'driver', 'fs', 'irq', 'pressure', 'sys', 'sysvipc', 'tty'].map((n) => [n, dirEntry()])),
  ...Object.fromEntries(
    [
      'buddyinfo',
      'cgroups',
      'cmdline',
      'consoles',
      'cpuinfo',
      'crypto',
      'devices',
      'diskstats',
      'dma',
      'execdomains',
      'filesystems',
      'iomem',
      'ioports',
      'kallsyms',
      'key-users',
      'loadavg',
      'locks',
      'meminfo',
      'misc',
      'partitions',
      'softirqs',
      'stat',
      'swaps',
      'uptime',
      'version',
      'vmstat',
      'zoneinfo',
    ].map((n) => [n, fileEntry(0o444)]),
  ),
  ...Object.fromEntries(
    ['kmsg', 'kpagecgroup', 'kpagecount', 'kpageflags', 'pagetypeinfo', 'slabinfo', 'vmallocinfo'].map((n) => [n, fileEntry(0o400)]),
  ),
  ...Object.fromEntries(['interrupts', 'keys', 'timer_list'].map((n) => [n, { type: 'chardev', mode: 0o666 } as ProcEntry])),
  // proc(5): links to the reading process's own entries.
  mounts: { type: 'symlink', mode: 0o777, target: () => 'self/mounts' },
  net: { type: 'symlink', mode: 0o777, target: () => 'self/net' },
  self: { type: 'symlink', mode: 0o777, target: (self) => String(self), linkSize: 0 },
  'thread-self': { type: 'symlink', mode: 0o777, target: (self) => `${self}/task/${self}`, linkSize: 0 },
};

const ROOT_DIRS = Object.values(ROOT_ENTRIES).filter((e) => e.type === 'dir').length;

/** A PID dir's entries (proc(5) /proc/[pid]); the links `cwd`, `exe`, `root` are left out: the simulator keeps no cwd per process. */
const PID_DIRS = ['attr', 'fd', 'fdinfo', 'map_files', 'net', 'ns', 'task'];
const PID_FILES = [
  'arch_status',
  'autogroup',
  'auxv',
  'cgroup',
  'clear_refs',
  'cmdline',
  'comm',
  'coredump_filter',
  'cpuset',
  'environ',
  'gid_map',
  'io',
  'limits',
  'loginuid',
  'maps',
  'mem',
  'mountinfo',
  'mounts',
  'mountstats',
  'oom_adj',
  'oom_score',
  'oom_score_adj',
  'pagemap',
  'personality',
  'projid_map',
  'sched',
  'schedstat',
  'sessionid',
  'setgroups',
  'smaps',
  'smaps_rollup',
  'stack',
  'stat',
  'statm',
  'status',
  'syscall',
  'timens_offsets',
  'timers',
  'timerslack_ns',
  'uid_map',
  'wchan',
];

interface ProcEntry {
  type: SimFileType;
  mode: number;
  /** The kernel's (shown as 65534 through the container's user namespace, as on the sandbox) unless said. */
  owner?: 'root';
  target?: (self: number) => string;
  /** What stat says a link's size is: the kernel's proc_self_get_link links say 0, the others their target's length. */
  linkSize?: 0;
}

function dirEntry(): ProcEntry {
  return { type: 'dir', mode: 0o555 };
}
function fileEntry(mode: number): ProcEntry {
  return { type: 'file', mode };
}

// What the kernel owns shows as the overflow id inside a user namespace (ARCHITECTURE.md: userns).
const OVERFLOW_ID = 65534;
// Linux: MAXSYMLINKS.
const MAX_SYMLINKS = 40;

/** A node of the generated tree: its stat, and its entries, bytes or target. */
interface ProcNode {
  stat: SimStat;
  entries?: string[];
  bytes?: () => Uint8Array;
  target?: string;
}

/**
 * A container's filesystem as one of its processes sees it: the rootfs, with procfs
 * mounted on /proc — the PID dirs of the container's live processes, `self` naming the
 * reader, and the usual top-level entries (their contents are not simulated; a PID dir's
 * `cmdline` and `comm` are). Everything under /proc is read-only (EACCES on writes).
 */
export class ProcFs implements SimFs {
  constructor(
    readonly rootfs: SimFs,
    private readonly processes: ProcessTable,
    private readonly self: number,
    private readonly now: () => number,
  ) {}

  /** The same mounts as another process of the container sees them. */
  forProcess(pid: number): ProcFs {
    return new ProcFs(this.rootfs, this.processes, pid, this.now);
  }

  stat(path: string): SimStat {
    const r = this.#resolve(path, true);
    return r.proc ? this.#node(r.proc, path).stat : this.rootfs.stat(path);
  }

  lstat(path: string): SimStat {
    const r = this.#resolve(path, false);
    return r.proc ? this.#node(r.proc, path).stat : this.rootfs.lstat(path);
  }

  exists(path: string): boolean {
    try {
      this.stat(path);
      return true;
    } catch (e) {
      if (e instanceof SimFsError) return false;
      throw e;
    }
  }

  readFile(path: string): Uint8Array {
    const r = this.#resolve(path, true);
    if (!r.proc) return this.rootfs.readFile(path);
    const node = this.#node(r.proc, path);
    if (node.entries) throw new SimFsError('EISDIR', path);
    return node.bytes?.() ?? new Uint8Array();
  }

  writeFile(path: string, data: Uint8Array, opts?: { append?: boolean; mode?: number }): void {
    this.#writable(path, true);
    this.rootfs.writeFile(path, data, opts);
  }

  mkdir(path: string, opts?: { mode?: number }): void {
    this.#writable(path, false);
    this.rootfs.mkdir(path, opts);
  }

  readdir(path: string): string[] {
    const r = this.#resolve(path, true);
    if (!r.proc) return this.rootfs.readdir(path);
    const node = this.#node(r.proc, path);
    if (!node.entries) throw new SimFsError('ENOTDIR', path);
    return [...node.entries].sort();
  }

  unlink(path: string): void {
    this.#writable(path, false);
    this.rootfs.unlink(path);
  }

  rmdir(path: string): void {
    this.#writable(path, false);
    this.rootfs.rmdir(path);
  }

  rename(from: string, to: string): void {
    this.#writable(from, false);
    this.#writable(to, false);
    this.rootfs.rename(from, to);
  }

  symlink(target: string, path: string): void {
    this.#writable(path, false);
    this.rootfs.symlink(target, path);
  }

  readlink(path: string): string {
    const r = this.#resolve(path, false);
    if (!r.proc) return this.rootfs.readlink(path);
    const node = this.#node(r.proc, path);
    if (node.target === undefined) throw new SimFsError('EINVAL', path);
    return node.target;
  }

  chmod(path: string, mode: number): void {
    this.#writable(path, true);
    this.rootfs.chmod(path, mode);
  }

  chown(path: string, uid: number, gid: number): void {
    this.#writable(path, true);
    this.rootfs.chown(path, uid, gid);
  }

  utimes(path: string, mtimeMs: number): void {
    this.#writable(path, true);
    this.rootfs.utimes(path, mtimeMs);
  }

  realpath(path: string): string {
    const r = this.#resolve(path, true);
    if (!r.proc) return this.rootfs.realpath(path);
    this.#node(r.proc, path);
    return ['/proc', ...r.proc].join('/');
  }

  /** procfs refuses to have files made (ENOENT: it looks names up, never creates them), changed or removed (EACCES); the mount point itself is the rootfs's. */
  #writable(path: string, follow: boolean): void {
    const r = this.#resolve(path, follow);
    if (r.proc && r.proc.length > 0) throw new SimFsError(this.#nodeOrNull(r.proc) ? 'EACCES' : 'ENOENT', path);
  }

  /**
   * Where `path` leads: below /proc (`proc`: the components past it, links inside procfs
   * followed) or elsewhere in the rootfs, which then resolves it itself. Links in the
   * rootfs are followed on the way, so `/etc/mtab` (→ /proc/mounts) reaches procfs.
   */
  #resolve(path: string, followLast: boolean): { proc?: string[] } {
    // path_resolution(7): a trailing slash follows the last link too.
    const follow = followLast || path.endsWith('/');
    const todo = path.split('/').filter((p) => p !== '' && p !== '.');
    const done: string[] = [];
    let links = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '..') {
        done.pop();
        continue;
      }
      const last = todo.length === 0;
      if (done[0] === 'proc') {
        const node = this.#nodeOrNull([...done.slice(1), name]);
        if (node?.target !== undefined && (!last || follow)) {
          if (++links > MAX_SYMLINKS) throw new SimFsError('ELOOP', path);
          todo.unshift(...node.target.split('/').filter((p) => p !== ''));
          continue;
        }
        done.push(name);
        continue;
      }
      const at = `/${[...done, name].join('/')}`;
      let st: SimStat;
      try {
        st = this.rootfs.lstat(at);
      } catch (e) {
        if (e instanceof SimFsError) return {};
        throw e;
      }
      if (st.type === 'symlink' && (!last || follow)) {
        if (++links > MAX_SYMLINKS) throw new SimFsError('ELOOP', path);
        const target = this.rootfs.readlink(at);
        if (target.startsWith('/')) done.length = 0;
        todo.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
        continue;
      }
      done.push(name);
    }
    return done[0] === 'proc' && this.#procMounted() ? { proc: done.slice(1) } : {};
  }

  /** runc mounts procfs on the rootfs's /proc; a rootfs without that dir has no procfs to show. */
  #procMounted(): boolean {
    try {
      return this.rootfs.stat('/proc').type === 'dir';
    } catch (e) {
      if (e instanceof SimFsError) return false;
      throw e;
    }
  }

  #node(parts: string[], path: string): ProcNode {
    const node = this.#nodeOrNull(parts);
    if (!node) throw new SimFsError('ENOENT', path);
    return node;
  }

  #nodeOrNull(parts: string[]): ProcNode | null {
    const [first, ...rest] = parts;
    if (first === undefined) {
      const pids = this.processes.list().map((p) => String(p.pid));
      return this.#dir(OVERFLOW_ID, [...pids, ...Object.keys(ROOT_ENTRIES)], 0o555, this.#mounted(), pids.length + ROOT_DIRS);
    }
    if (/^[1-9][0-9]*$/.test(first)) {
      const proc = this.processes.get(Number(first));
      return proc ? this.#pidNode(proc, rest) : null;
    }
    const entry = ROOT_ENTRIES[first];
    if (!entry) return null;
    if (rest.length > 0) return null;
    const uid = entry.owner === 'root' ? 0 : OVERFLOW_ID;
    const at = this.#mounted();
    if (entry.type === 'dir') return this.#dir(uid, [], entry.mode, at);
    if (entry.target) {
      const target = entry.target(this.self);
      return { stat: this.#stat('symlink', 0o777, uid, entry.linkSize ?? target.length, at), target };
    }
    return { stat: this.#stat(entry.type, entry.mode, uid, 0, at) };
  }

  #pidNode(proc: SimProcess, parts: string[], thread = false): ProcNode | null {
    const [first, second, ...rest] = parts;
    // A thread's dir (task/<tid>) has neither task/ nor map_files/.
    const dirs = thread ? PID_DIRS.filter((d) => d !== 'task' && d !== 'map_files') : PID_DIRS;
    const at = proc.startedAt;
    if (first === undefined) return this.#dir(proc.uid, [...dirs, ...PID_FILES], 0o555, at, dirs.length);
    // /proc/<pid>/task/<tid>: a simulated process is its only thread, whose dir has no task/ of its own.
    if (first === 'task' && !thread) {
      if (second === undefined) return this.#dir(proc.uid, [String(proc.pid)], 0o555, at, 1);
      return second === String(proc.pid) ? this.#pidNode(proc, rest, true) : null;
    }
    if (second !== undefined) return null;
    if (dirs.includes(first)) return this.#dir(proc.uid, [], first === 'fd' || first === 'map_files' ? 0o500 : 0o555, at);
    if (!PID_FILES.includes(first)) return null;
    const encoder = new TextEncoder();
    // proc(5): cmdline is argv, each NUL-terminated; comm the command's name (the applet's, for busybox).
    const bytes =
      first === 'cmdline'
        ? () => encoder.encode(proc.argv.map((a) => `${a}\0`).join(''))
        : first === 'comm'
          ? () => encoder.encode(`${commOf(proc)}\n`)
          : undefined;
    return { stat: this.#stat('file', 0o444, proc.uid, 0, at), ...(bytes ? { bytes } : {}) };
  }

  /** When procfs was mounted: as the container's init started. */
  #mounted(): number {
    return this.processes.get(1)?.startedAt ?? this.now();
  }

  /** A dir; its link count is 2 + its subdirs, as on any Linux filesystem. */
  #dir(uid: number, entries: string[], mode: number, mtimeMs: number, subdirs = 0): ProcNode {
    return { stat: { ...this.#stat('dir', mode, uid, 0, mtimeMs), nlink: 2 + subdirs }, entries };
  }

  #stat(type: SimFileType, mode: number, uid: number, size: number, mtimeMs: number): SimStat {
    return { type, mode, uid, gid: uid, size, mtimeMs, nlink: 1 };
  }
}

function commOf(proc: SimProcess): string {
  const argv0 = proc.argv[0] ?? '';
  // TASK_COMM_LEN: 15 bytes.
  return argv0.slice(argv0.lastIndexOf('/') + 1).slice(0, 15);
}
