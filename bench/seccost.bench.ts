// Issue 12 ("host safety"): what the host-safety checks cost per run. Two checkouts side by
// side in one run — BENCH_BEFORE (a checkout from before the checks, with its own
// node_modules) and this one — each in its own child process (bench/seccost-side.ts) that
// loads only that checkout's openLinuxEngines, interleaved round by round with the order
// rotated each round, so that a shared machine's noise falls on every side alike:
//  - `docker run --rm busybox true` through the engine;
//  - the 5-step build of bench/build.bench.ts, cold (--no-cache) and fully cached.
// A third side, this checkout with LAYERLAB_USERNS=off, splits the cost between the user
// namespace and the rest (seccomp allowlist, mounts, beneath-root host paths, …); BENCH_SPLIT=0
// leaves it out. Wall time is what a learner waits. CPU is what the machine pays: each side's
// process tree is put in its own cpuacct cgroup (Node, its pooled `sh`, runc, mount, …; not
// the container's own cgroup), and it is far less sensitive to a loaded machine than wall time.
//
//   BENCH_BEFORE=/path/to/checkout [BENCH_ROUNDS=30] [BENCH_SECONDS=…] npm run bench seccost
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs, median, quantile } from './harness.js';

const before = process.env.BENCH_BEFORE;
if (!before) {
  console.log('\n(seccost.bench.ts: set BENCH_BEFORE=/path/to/an-older-checkout to compare it with this one; skipped)');
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error('bench/seccost: needs root (overlayfs, runc, cgroups)');
  process.exit(2);
}
const after = resolve(process.env.BENCH_AFTER ?? '.');
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const CPUACCT = '/sys/fs/cgroup/cpuacct';
const cases = [
  { name: '`docker run --rm busybox true`', command: 'docker run --rm busybox true' },
  { name: '5-step build, cold (--no-cache)', command: 'docker build --no-cache -t bench .' },
  { name: '5-step build, fully cached', command: 'docker build -t bench .' },
];

interface Side {
  label: string;
  child: ChildProcess;
  cgroup: string;
  wall: number[][];
  cpu: number[][];
  request(message: unknown): Promise<{ ok: boolean; wall?: number; cpu?: number; error?: string }>;
  /** Ends the side (its engine disposed) and removes its cgroup. */
  close(): Promise<void>;
}

/** The checkout's commit, for the printed header. */
const rev = (dir: string) => spawnSync('git', ['-C', dir, 'log', '-1', '--format=%h %cI'], { encoding: 'utf8' }).stdout.trim() || '?';

async function side(label: string, checkout: string, env: Record<string, string | undefined>): Promise<Side> {
  const child = fork(fileURLToPath(new URL('./seccost-side.ts', import.meta.url)), [], {
    cwd: checkout, // `--import tsx` resolves from here: each side runs its own checkout's tsx
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true, // its own process group: a Ctrl-C stops the parent after the round, not the sides mid-run
  });
  const cgroup = join(CPUACCT, `layerlab-seccost-${process.pid}-${label.replace(/\W+/g, '-')}`);
  mkdirSync(cgroup);
  writeFileSync(join(cgroup, 'cgroup.procs'), String(child.pid)); // before it starts anything
  const queue: ((m: never) => void)[] = [];
  child.on('message', (m: never) => queue.shift()?.(m));
  child.on('exit', (code) => {
    for (const waiting of queue.splice(0)) (waiting as (m: unknown) => void)({ ok: false, error: `${label}: side exited ${code}` });
  });
  await new Promise((r) => queue.push(r));
  const s: Side = {
    label,
    child,
    cgroup,
    wall: cases.map(() => []),
    cpu: cases.map(() => []),
    async close() {
      const exited = new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.once('exit', r) : r(undefined)));
      if (child.connected) await s.request({ op: 'close' });
      child.kill(); // the side disposes its engine and exits on 'close'; this is for a side stuck opening
      await exited;
      // Its pooled shells leave the cgroup as they see their stdin close.
      for (let i = 0; i < 50 && existsSync(cgroup); i++) {
        try {
          rmdirSync(cgroup);
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    request(message) {
      return new Promise((r) => {
        queue.push(r);
        child.send(message as never);
      });
    },
  };
  const opened = await s.request({ op: 'open', checkout, cgroup });
  if (!opened.ok) {
    await s.close();
    throw new Error(`${label}: ${opened.error}`);
  }
  return s;
}

const load0 = loadavg();
// A shared machine can be slow: BENCH_SECONDS bounds the rounds by time, and SIGINT/SIGTERM
// stop after the current round; either way the rounds done so far are reported, all sides alike.
const budget = Number(process.env.BENCH_SECONDS ?? Infinity) * 1000;
const started = performance.now();
let stopping = false;
let done = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stopping = true));
const sides: Side[] = [];
try {
  sides.push(await side('before', resolve(before), { LAYERLAB_USERNS: undefined }));
  sides.push(await side('after', after, { LAYERLAB_USERNS: undefined }));
  if (process.env.BENCH_SPLIT !== '0') sides.push(await side('after, LAYERLAB_USERNS=off', after, { LAYERLAB_USERNS: 'off' }));
  const exec = async (s: Side, c: number, record: boolean) => {
    const r = await s.request({ op: 'exec', command: cases[c]!.command });
    if (!r.ok) throw new Error(`${s.label}: ${cases[c]!.command}: ${r.error}`);
    if (record) {
      s.wall[c]!.push(r.wall!);
      s.cpu[c]!.push(r.cpu!);
    }
  };
  // Warm-up: busybox's first run, the cache filled for the cached build.
  for (const s of sides) for (let c = 0; c < cases.length; c++) for (let i = 0; i < 2; i++) await exec(s, c, false);
  let round = 0;
  for (; round < rounds && !stopping && performance.now() - started < budget; round++) {
    const order = sides.map((_, i) => sides[(i + round) % sides.length]!);
    for (let c = 0; c < cases.length; c++) for (const s of round % 2 ? [...order].reverse() : order) await exec(s, c, true);
    process.stderr.write(`seccost: round ${round + 1} of ${rounds}, load average ${loadavg()[0]!.toFixed(1)}\n`);
  }
  done = round;
} finally {
  for (const s of sides) await s.close();
}
const load1 = loadavg();

console.log(
  `\nbefore: ${resolve(before)} (${rev(resolve(before))}); after: ${after} (${rev(after)}); ${done} rounds (of ${rounds}; warm-up 2); load average ${load0.map((l) => l.toFixed(2)).join(' ')} at the start, ${load1.map((l) => l.toFixed(2)).join(' ')} at the end (2 cores)`,
);
const [b, a, off] = sides as [Side, Side, Side | undefined];
const x = (num: number[], den: number[], q: number) => `${(quantile(num, q) / quantile(den, q)).toFixed(2)}×`;
const signed = (ms: number) => (ms < 0 ? `−${fmtMs(-ms)}` : `+${fmtMs(ms)}`);
console.log('\n### Cost of the host-safety checks (Linux, runc): before and after, side by side\n');
console.log('| case | side | n | wall median | wall p95 | CPU median | CPU p95 |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (let c = 0; c < cases.length; c++) {
  for (const s of sides) {
    const [w, u] = [s.wall[c]!, s.cpu[c]!];
    console.log(
      `| ${cases[c]!.name} | ${s.label} | ${w.length} | ${fmtMs(median(w))} | ${fmtMs(quantile(w, 0.95))} | ${fmtMs(median(u))} | ${fmtMs(quantile(u, 0.95))} |`,
    );
  }
}
console.log(
  `\n| case | wall, after ÷ before (median; p95) | paired wall, after − before (median of rounds) | CPU, after ÷ before (median; p95) |${off ? ' CPU: LAYERLAB_USERNS=off ÷ before; after ÷ off (medians) |' : ''}`,
);
console.log(`|---|---:|---:|---:|${off ? '---:|' : ''}`);
for (let c = 0; c < cases.length; c++) {
  const split = off ? ` ${x(off.cpu[c]!, b.cpu[c]!, 0.5)}; ${x(a.cpu[c]!, off.cpu[c]!, 0.5)} |` : '';
  const paired = median(a.wall[c]!.map((t, i) => t - b.wall[c]![i]!));
  console.log(
    `| ${cases[c]!.name} | ${x(a.wall[c]!, b.wall[c]!, 0.5)}; ${x(a.wall[c]!, b.wall[c]!, 0.95)} | ${signed(paired)} | ${x(a.cpu[c]!, b.cpu[c]!, 0.5)}; ${x(a.cpu[c]!, b.cpu[c]!, 0.95)} |${split}`,
  );
}
