import { SimFsError } from '../sim-fs.js';
import type { AppletContext } from '../process/context.js';

/** busybox's `bb_banner`: the sandbox's base image is Debian's busybox-static, and the simulator says the same. */
export const BB_BANNER = 'BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)';
export const BANNER = `${BB_BANNER} multi-call binary.`;

/** Joins `p` onto `cwd` and normalises `.`/`..` without touching the filesystem. */
export function resolvePath(cwd: string, p: string): string {
  const abs = p.startsWith('/') ? p : `${cwd}/${p}`;
  const out: string[] = [];
  for (const seg of abs.split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

export function basename(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (!t) return p ? '/' : '';
  return t.slice(t.lastIndexOf('/') + 1);
}

export function dirname(p: string): string {
  const t = p.replace(/\/+$/, '');
  if (!t) return p ? '/' : '.';
  const i = t.lastIndexOf('/');
  if (i < 0) return '.';
  const d = t.slice(0, i).replace(/\/+$/, '');
  return d || '/';
}

/** The strerror text of a filesystem error. */
export function errText(e: unknown): string {
  if (e instanceof SimFsError) return e.text;
  throw e;
}

export function err(ctx: AppletContext, msg: string): void {
  ctx.stderr.write(`${ctx.argv[0] ? basename(ctx.argv[0]) : 'busybox'}: ${msg}\n`);
}

/** busybox's reaction to an unknown option: the message, then the usage text; status 1. */
export function badOption(ctx: AppletContext, name: string, opt: string, usage: string): number {
  ctx.stderr.write(`${name}: invalid option -- '${opt}'\n${BANNER}\n\nUsage: ${name} ${usage}\n`);
  return 1;
}

export interface ParsedOpts {
  flags: Set<string>;
  values: Map<string, string>;
  args: string[];
  bad?: string;
}

/**
 * getopt as busybox's getopt32 does it: clustered short flags, `x:` takes a value,
 * options may follow operands (GNU permutation), `--` ends them. `-NUM` is kept for
 * the applets that accept it (head/tail) when `numeric` is set.
 */
export function getopt(argv: readonly string[], spec: string, numeric = false): ParsedOpts {
  const takesValue = new Set<string>();
  const known = new Set<string>();
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    known.add(c);
    if (spec[i + 1] === ':') {
      takesValue.add(c);
      i++;
    }
  }
  const res: ParsedOpts = { flags: new Set(), values: new Map(), args: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      res.args.push(...argv.slice(i + 1));
      break;
    }
    if (a.length < 2 || a[0] !== '-') {
      res.args.push(a);
      continue;
    }
    if (numeric && /^-[0-9]+$/.test(a)) {
      res.values.set('n', a.slice(1));
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (!known.has(c)) {
        res.bad = c;
        return res;
      }
      if (takesValue.has(c)) {
        const v = a.slice(j + 1) || argv[++i];
        if (v === undefined) {
          res.bad = c;
          return res;
        }
        res.values.set(c, v);
        break;
      }
      res.flags.add(c);
    }
  }
  return res;
}

/** Users from the container's /etc/passwd (name, uid, gid, home, shell). */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export function readPasswd(ctx: AppletContext): PasswdEntry[] {
  return readTable(ctx, '/etc/passwd').map((f) => ({
    name: f[0]!,
    uid: Number(f[2]),
    gid: Number(f[3]),
    home: f[5] ?? '/',
    shell: f[6] ?? '/bin/sh',
  }));
}

export function readGroups(ctx: AppletContext): { name: string; gid: number; members: string[] }[] {
  return readTable(ctx, '/etc/group').map((f) => ({ name: f[0]!, gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] }));
}

function readTable(ctx: AppletContext, path: string): string[][] {
  try {
    const text = new TextDecoder().decode(ctx.container.fs.readFile(path));
    return text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

export function userName(ctx: AppletContext, uid: number): string {
  return readPasswd(ctx).find((u) => u.uid === uid)?.name ?? String(uid);
}

export function groupName(ctx: AppletContext, gid: number): string {
  return readGroups(ctx).find((g) => g.gid === gid)?.name ?? String(gid);
}

/** Sleeps through the injected clock; a frozen container stays frozen past the deadline. */
export async function sleepMs(ctx: AppletContext, ms: number): Promise<void> {
  if (ms > 0) await ctx.container.clock.sleep(ms, ctx.signal);
  // Linux freezer: wall-clock time runs on while frozen, so a sleep that ended meanwhile returns at thaw.
  await ctx.container.freezer.thaw();
  ctx.signal.throwIfAborted();
}
