// Issue 13, "Load, as a benchmark": a workshop-shaped load on one server (a child process
// on 127.0.0.1, as `npm start` runs it). 60 learners, each replaying lesson solutions in
// turn as the lesson pages do — a session per lesson, its starting files and each step's
// files PUT, the solution's commands POSTed — with 2–5 s of think time between actions,
// for 5 minutes. Reported: p50/p95 per command kind, failures (an HTTP error, or a step's
// goal not met after its solution — 0 expected), and the server's RSS and open
// descriptors at the start and at the end (after every session is deleted and the
// learners' connections have closed): files, FIFOs and TCP sockets flat; the idle
// host-shell pool's stdio bounded (host-shell.ts).
// BENCH_LOAD_LEARNERS (default 60) and BENCH_LOAD_SECONDS (default 300) shorten a try.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkGoal } from '../src/lessons/goal-check.js';
import type { StateSnapshot } from '../src/engine/state.js';
import { lessons } from '../test/lessons/lesson-files.js';
import { lessonStartingFiles } from '../test/lessons/lesson-workspace.js';
import { fmtMs, report, type Check, type Sample } from './harness.js';
import { loadAverage, startServer, type Session } from './server-child.js';

if (process.getuid?.() !== 0) {
  console.error('bench/load: needs root (overlayfs, runc)');
  process.exit(2);
}
const learners = Number(process.env.BENCH_LOAD_LEARNERS ?? 60);
const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 300);
console.log(`\nbench/load: load average ${loadAverage()} at start; ${learners} learners for ${seconds} s`);

const work = mkdtempSync(join(tmpdir(), 'layerlab-load-'));
const server = await startServer(work);
const all = lessons('en');
const times = new Map<string, number[]>();
const failures: string[] = [];
let commands = 0;
let stepsMet = 0;

/** `docker build -t x .` → `build`; the kind a latency is filed under. */
const kindOf = (line: string) =>
  line
    .trim()
    .split(/\s+/)
    .slice(1)
    .find((w) => !w.startsWith('-')) ?? line;
async function timed<T>(kind: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    const list = times.get(kind) ?? [];
    list.push(performance.now() - t);
    times.set(kind, list);
  }
}

const deadline = Date.now() + seconds * 1000;
const think = () => new Promise((r) => setTimeout(r, 2000 + Math.random() * 3000));
const over = () => Date.now() >= deadline;

async function learner(n: number): Promise<void> {
  // Staggered arrival, as a room does; each learner starts at another lesson.
  await new Promise((r) => setTimeout(r, Math.random() * 5000));
  for (let i = n; !over(); i++) {
    const lesson = all[i % all.length]!;
    const s: Session = await timed('session create', () => server.newSession());
    const files: Record<string, string> = {};
    const put = (path: string, content: string | Uint8Array) => timed('file PUT', () => server.putFile(s, path, content));
    try {
      for (const f of lessonStartingFiles(lesson.path)) {
        await put(f.path, f.bytes);
        files[f.path] = new TextDecoder().decode(f.bytes);
      }
      const run = async (line: string) => {
        await think();
        commands++;
        await timed(kindOf(line), () => server.command(s, line)).catch((error: unknown) => {
          failures.push(`${lesson.id}: ${line}: ${String(error).slice(0, 200)}`);
        });
      };
      for (const line of lesson.setup) await run(line);
      for (const step of lesson.steps) {
        if (over()) break;
        for (const [path, content] of Object.entries({ ...step.files, ...step.solutionFiles })) {
          await put(path, content);
          files[path] = content;
        }
        for (const line of step.solution) await run(line);
        const state = await timed('state GET', () => server.api<StateSnapshot>('GET', `/api/sessions/${s.id}/state`, s.token));
        if (checkGoal(step.goal, state, files)) stepsMet++;
        else failures.push(`${lesson.id}/${step.id}: goal not met after its solution`);
      }
    } catch (error) {
      failures.push(`${lesson.id}: ${String(error).slice(0, 200)}`);
    } finally {
      await timed('session DELETE', () => server.api('DELETE', `/api/sessions/${s.id}`, s.token)).catch((error: unknown) =>
        failures.push(`DELETE: ${String(error)}`),
      );
    }
  }
}

const samples: Sample[] = [];
const checks: Check[] = [];
try {
  const start = server.usage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: learners }, (_, n) => learner(n)));
  const wall = performance.now() - t0;
  // The learners leave (their connections close); the last removals and the GC settle.
  await server.closeClients();
  await new Promise((r) => setTimeout(r, 3000));
  const end = server.usage();
  for (const [kind, list] of [...times].sort((a, b) => b[1].length - a[1].length)) samples.push({ name: kind, times: list });
  for (const f of failures.slice(0, 10)) console.log(`failure: ${f}`);
  checks.push({
    what: `commands by ${learners} learners in ${fmtMs(wall)} (steps whose goal was met)`,
    measured: `${commands} (${stepsMet})`,
    target: '(reported)',
    ok: true,
  });
  checks.push({ what: 'failures (HTTP errors, goals not met)', measured: String(failures.length), target: '0', ok: failures.length === 0 });
  checks.push({
    what: 'server RSS, start → end',
    measured: `${(start.rss / 2 ** 20).toFixed(0)} → ${(end.rss / 2 ** 20).toFixed(0)} MiB`,
    target: '(reported)',
    ok: true,
  });
  checks.push({ what: 'server open fds, start → end', measured: `${start.fds} → ${end.fds}`, target: '(reported)', ok: true });
  checks.push({
    what: 'TCP sockets once the learners have gone, start → end',
    measured: `${start.tcp} → ${end.tcp}`,
    target: 'flat',
    ok: end.tcp <= start.tcp,
  });
  checks.push({ what: 'files and FIFOs held, start → end', measured: `${start.files} → ${end.files}`, target: 'flat', ok: end.files <= start.files });
  // Bounded, not flat: shells made for a busy moment stay idle for the next (64 at most), libuv makes its inotify once.
  checks.push({
    what: 'host-shell stdio (3 per pooled shell) and libuv inodes, start → end',
    measured: `${start.shellStdio} → ${end.shellStdio}, ${start.anon} → ${end.anon}`,
    target: '≤ 192, ≤ start + 2',
    ok: end.shellStdio <= 192 && end.anon <= start.anon + 2,
  });
  checks.push({ what: 'load average at the end (1 min)', measured: loadAverage(), target: '(reported)', ok: true });
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(report(`Workshop load (${learners} learners replaying lessons, 2–5 s think time, ${seconds} s)`, samples, checks) ? 0 : 1);
