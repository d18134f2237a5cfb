import { runArgv } from './exec-argv.js';
import type { AppletContext } from '../process/context.js';
import { badOption, getopt, readGroups, readPasswd } from './util.js';

/** hostname: the container's UTS namespace name, not the host's. */
export async function hostname(ctx: AppletContext): Promise<number> {
  ctx.stdout.write(`${ctx.container.hostname}\n`);
  return 0;
}

/** uname: containers share the host kernel, so release and machine are the host's. */
export async function uname(ctx: AppletContext): Promise<number> {
  const o = getopt(ctx.argv.slice(1), 'asnrvmpio');
  if (o.bad) return badOption(ctx, 'uname', o.bad, '[-amnrspvio]');
  const h = ctx.container.host;
  const machine = h.architecture === 'amd64' ? 'x86_64' : h.architecture === 'arm64' ? 'aarch64' : h.architecture;
  const fields: [string, string][] = [
    ['s', 'Linux'],
    ['n', ctx.container.hostname],
    ['r', h.kernelVersion],
    ['v', '#1 SMP PREEMPT_DYNAMIC'],
    ['m', machine],
    ['o', 'GNU/Linux'],
  ];
  const f = o.flags;
  const all = f.has('a');
  const chosen = fields.filter(([k]) => all || f.has(k));
  ctx.stdout.write((chosen.length ? chosen : [fields[0]!]).map(([, v]) => v).join(' ') + '\n');
  return 0;
}

/**
 * id: `uid=0(root) gid=0(root) groups=0(root),10(wheel)` — the process's own ids and
 * supplementary groups (as the runtime set them, containers/process-user.ts), or with a
 * USER the passwd entry's gid and the groups listing that user (getgrouplist); names from
 * the container's passwd and group files.
 */
export async function id(ctx: AppletContext): Promise<number> {
  const users = readPasswd(ctx);
  const groups = readGroups(ctx);
  const name = ctx.argv[1];
  const u = name ? users.find((x) => x.name === name) : users.find((x) => x.uid === ctx.uid);
  if (name && !u) {
    ctx.stderr.write(`id: unknown user ${name}\n`);
    return 1;
  }
  const uid = name ? u!.uid : ctx.uid;
  const gid = name ? u!.gid : ctx.gid;
  const all = name ? [gid, ...groups.filter((g) => g.gid !== gid && g.members.includes(name)).map((g) => g.gid)] : ctx.groups;
  const gname = (g: number) => groups.find((x) => x.gid === g)?.name;
  const label = (n: number, s: string | undefined) => (s ? `${n}(${s})` : String(n));
  ctx.stdout.write(`uid=${label(uid, u?.name)} gid=${label(gid, gname(gid))} groups=${all.map((g) => label(g, gname(g))).join(',')}\n`);
  return 0;
}

export async function whoami(ctx: AppletContext): Promise<number> {
  const u = readPasswd(ctx).find((x) => x.uid === ctx.uid);
  if (!u) {
    ctx.stderr.write(`whoami: unknown uid ${ctx.uid}\n`);
    return 1;
  }
  ctx.stdout.write(`${u.name}\n`);
  return 0;
}

/** env [-i] [-u NAME] [NAME=VALUE]… [PROG ARGS]: prints the environment in its order. */
export async function env(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let vars = new Map(ctx.env);
  while (args.length && args[0]!.startsWith('-')) {
    const a = args.shift()!;
    if (a === '-i' || a === '-') vars = new Map();
    else if (a === '-u') vars.delete(args.shift() ?? '');
    else if (a === '--') break;
  }
  while (args.length && /^[^=]+=/.test(args[0]!)) {
    const a = args.shift()!;
    const eq = a.indexOf('=');
    vars.delete(a.slice(0, eq));
    vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  if (!args.length) {
    let out = '';
    for (const [k, v] of vars) out += `${k}=${v}\n`;
    ctx.stdout.write(out);
    return 0;
  }
  return runArgv({ ...ctx, env: vars }, args, 'env');
}

/** date [-u] [+FORMAT]: UTC, as a container without /etc/localtime shows it. */
export async function date(ctx: AppletContext): Promise<number> {
  const args = ctx.argv.slice(1).filter((a) => a !== '-u' && a !== '-R');
  const fmt = args.find((a) => a.startsWith('+'));
  const d = new Date(ctx.container.clock.now());
  ctx.stdout.write(strftime(fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S %Z %Y', d) + '\n');
  return 0;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function strftime(fmt: string, d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'a':
        return DAYS[d.getUTCDay()]!;
      case 'b':
      case 'h':
        return MONTHS[d.getUTCMonth()]!;
      case 'd':
        return p(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate()).padStart(2);
      case 'H':
        return p(d.getUTCHours());
      case 'M':
        return p(d.getUTCMinutes());
      case 'S':
        return p(d.getUTCSeconds());
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return p(d.getUTCFullYear() % 100);
      case 'm':
        return p(d.getUTCMonth() + 1);
      case 'j': {
        const start = Date.UTC(d.getUTCFullYear(), 0, 1);
        return p(Math.floor((d.getTime() - start) / 86400000) + 1, 3);
      }
      case 'Z':
        return 'UTC';
      case 'z':
        return '+0000';
      case 's':
        return String(Math.floor(d.getTime() / 1000));
      case 'F':
        return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
      case 'T':
        return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case '%':
        return '%';
      default:
        return m;
    }
  });
}
