// Issue 14's benchmark: 300 scripted learners against one server (a child process, sandbox off,
// so each learner runs the simulator and the machine is not the limit). Each joins one workshop,
// opens its learner socket and, every 1–3 s, "runs a command": its output and engine state over
// the socket (as the learner page sends them) and a progress report POSTed with its bearer token.
// The load never stops; after a warm-up it is measured twice, side by side in one run: a window
// with no dashboard open, then a window with one open and watching a learner.
//   - dashboard latency: from the moment a learner sends a report to the moment the dashboard's
//     socket delivers a row of that learner whose command count includes it (measured in this
//     process; its own event-loop delay is printed beside it);
//   - server CPU: utime + stime of the server's PID alone (/proc/<pid>/stat) over the window,
//     in % of one core — Node serves on one thread, so 100 % is a saturated server.
// It exits non-zero on any error (a refused report, a socket closed or sent an error, a learner
// missing from the class or a report the dashboard never showed) and when a target is missed.
// WORKSHOP_BENCH_MS sets a window's length (default 30 s), WORKSHOP_BENCH_LEARNERS the class (300).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import { DASHBOARD_FLUSH_MS } from '../sandbox-server/api/workshop-live.js';
import { quantile, type Check } from './harness.js';
import { loadAverage, startServer } from './server-child.js';

const LEARNERS = Number(process.env.WORKSHOP_BENCH_LEARNERS ?? 300);
const WINDOW_MS = Number(process.env.WORKSHOP_BENCH_MS ?? 30_000);
const WARMUP_MS = Math.min(5_000, WINDOW_MS);
const REPORT_EVERY_MS = 2_000;
/**
 * "Stays smooth": a row at most a second behind the learner. The server holds a dashboard's
 * deltas for up to DASHBOARD_FLUSH_MS (250 ms, so ≤ 4 messages a second whatever 300 learners
 * do); a second is that wait four times over, still "live" to an instructor looking up at a
 * projector, and far enough from it that only a server falling behind misses it.
 */
const LATENCY_P95_MS = 1_000;
/** Node serves on one thread: past this share of a core, a burst (a class all pressing Enter at once) queues. */
const CPU_MAX_PERCENT = 50;
/** How long the dashboard gets, after the load stops, to show the reports still on their way. */
const DRAIN_MS = 5_000;
const LESSON = '01-what-is-docker';
const SECRET_HEADER = 'x-instructor-secret';

console.log(`\nbench/workshop: load average ${loadAverage()} at start; ${LEARNERS} learners, ${WINDOW_MS / 1000} s a window`);

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
/** The server process's CPU time (user + system), in seconds; its children (none with the sandbox off) not counted. */
function cpuSeconds(pid: number): number {
  // Fields after the command's closing parenthesis: state is [0], utime [11], stime [12] (proc(5)).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

const errors: string[] = [];
const fail = (what: string) => {
  errors.push(what);
  if (errors.length <= 10) console.error(`bench/workshop: ${what}`);
};

const work = mkdtempSync(join(tmpdir(), 'layerlab-bench-workshop-'));
const server = await startServer(work, {
  LAYERLAB_SANDBOX: 'off',
  // The default store (SQLite under the state dir), whatever this shell has set.
  DATABASE_URL: '',
  LAYERLAB_WORKSHOP_DB: '',
  // Every learner joins from this one address: the class's burst, as a room behind one NAT is.
  LAYERLAB_WORKSHOP_JOIN_BURST: String(LEARNERS),
  LAYERLAB_WORKSHOP_MAX_LEARNERS: String(Math.max(LEARNERS, 300)),
});
const wsBase = server.base.replace('http', 'ws');

type Joined = { learner: { id: string }; resumeToken: string };
type Row = { id: string; position: { commands: number } };

interface Learner {
  id: string;
  token: string;
  socket: WebSocket;
  /** Commands sent (the command count the store will have once each is recorded). */
  sent: number;
  /** Reports sent in the dashboard window that no row has shown yet. */
  pending: { n: number; sentAt: number; answeredAt: number | undefined }[];
}

let measuring: 'warmup' | 'without' | 'with' | 'drain' | 'done' = 'warmup';
let closing = false;
const sockets: WebSocket[] = [];
let reports = 0;
const latencies: number[] = [];
/** Of each of those, the part after the report's own answer came back (0 when the row came first): what the dashboard adds. */
const beyondAnswer: number[] = [];
/** Each window's report round trips (sent → answered) and `GET /api/health` answers: how long the server itself takes, dashboard or not. */
const roundTrips = { without: [] as number[], with: [] as number[] };
const healthTimes = { without: [] as number[], with: [] as number[] };
const dashboardCounts = { class: 0, learners: 0, relayed: 0, other: 0 };

try {
  const { workshop, instructorSecret } = await server.api<{ workshop: { id: string; joinCode: string }; instructorSecret: string }>(
    'POST',
    '/api/workshops',
    undefined,
    { title: 'bench', lessons: [LESSON] },
  );
  const instructor = { [SECRET_HEADER]: instructorSecret };
  // Joins ten at a time, as a room arrives.
  const joined: Joined[] = [];
  for (let i = 0; i < LEARNERS; i += 10) {
    const batch = Array.from({ length: Math.min(10, LEARNERS - i) }, (_, k) =>
      server.api<Joined>('POST', '/api/workshops/join', undefined, { code: workshop.joinCode, displayName: `learner ${i + k}` }),
    );
    joined.push(...(await Promise.all(batch)));
  }
  // A hint to everyone before anyone connects: each learner socket gets it right after its auth, which is how a client knows it is in.
  await server.api('POST', `/api/workshops/${workshop.id}/hints`, undefined, { text: 'welcome' }, instructor);

  const learners: Learner[] = await Promise.all(
    joined.map(
      (j) =>
        new Promise<Learner>((resolve, reject) => {
          const socket = new WebSocket(`${wsBase}/api/workshops/${workshop.id}/learners/${j.learner.id}/live`);
          sockets.push(socket);
          const learner: Learner = { id: j.learner.id, token: j.resumeToken, socket, sent: 0, pending: [] };
          const timer = setTimeout(() => reject(new Error(`learner ${j.learner.id}: no hint 30 s after its auth`)), 30_000);
          socket.once('open', () => socket.send(JSON.stringify({ type: 'auth', token: j.resumeToken })));
          socket.on('message', (data) => {
            const m = JSON.parse(data.toString()) as { type: string };
            if (m.type === 'hint') {
              clearTimeout(timer);
              resolve(learner);
            } else if (m.type === 'error') fail(`learner ${j.learner.id} got ${data.toString().slice(0, 200)}`);
          });
          socket.on('error', (error) => fail(`learner ${j.learner.id} socket: ${error.message}`));
          socket.on('close', (code) => closing || fail(`learner ${j.learner.id} socket closed ${code}`));
        }),
    ),
  );
  const byId = new Map(learners.map((l) => [l.id, l]));

  const eventLoop = monitorEventLoopDelay({ resolution: 10 });
  async function learnerLoop(l: Learner): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.random() * REPORT_EVERY_MS));
    while (measuring === 'warmup' || measuring === 'without' || measuring === 'with') {
      const n = ++l.sent;
      const during = measuring;
      const sentAt = performance.now();
      const pending = { n, sentAt, answeredAt: undefined as number | undefined };
      if (during === 'with') l.pending.push(pending);
      const exitCode = Math.random() < 0.2 ? 1 : 0;
      const command = `docker run busybox echo ${n}`;
      l.socket.send(JSON.stringify({ type: 'output', command, output: `${n}\n`, exitCode }));
      const containers = Array.from({ length: 5 }, (_, c) => ({ id: `c${c}`, name: `box-${c}`, image: 'busybox', status: 'exited' }));
      l.socket.send(JSON.stringify({ type: 'state', state: { containers } }));
      try {
        await server.api(
          'POST',
          `/api/workshops/${workshop.id}/learners/${l.id}/progress`,
          l.token,
          // A step every 4 commands: the class walks the lesson, so the medians and "slow" are worked out as in a class.
          { lesson: LESSON, step: Math.floor(n / 4) % 8, command, exitCode },
        );
        reports++;
        pending.answeredAt = performance.now();
        if (during === 'with' || during === 'without') roundTrips[during].push(performance.now() - sentAt);
      } catch (error) {
        fail(`report ${n} of ${l.id}: ${(error as Error).message.slice(0, 200)}`);
      }
      await new Promise((r) => setTimeout(r, REPORT_EVERY_MS * (0.5 + Math.random())));
    }
  }
  const load = Promise.all(learners.map(learnerLoop));
  // The server's answer time to a request that does nothing, five times a second.
  const probe = (async () => {
    while (measuring === 'warmup' || measuring === 'without' || measuring === 'with') {
      const during = measuring;
      const t = performance.now();
      await server.api('GET', '/api/health');
      if (during === 'with' || during === 'without') healthTimes[during].push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  async function measureWindow(name: 'without' | 'with') {
    const reports0 = reports;
    const counts0 = { ...dashboardCounts };
    eventLoop.reset();
    eventLoop.enable();
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    measuring = name;
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = ((cpuSeconds(server.pid) - cpu0) / seconds) * 100;
    eventLoop.disable();
    return {
      seconds,
      cpu,
      reportsPerSecond: (reports - reports0) / seconds,
      learnerMessages: dashboardCounts.learners - counts0.learners,
      relayed: dashboardCounts.relayed - counts0.relayed,
      clientLoopP95Ms: eventLoop.percentile(95) / 1e6,
    };
  }

  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const without = await measureWindow('without');

  // The dashboard, as the page opens it: the secret as its first message, the class, then deltas.
  const dashboard = new WebSocket(`${wsBase}/api/workshops/${workshop.id}/live`);
  sockets.push(dashboard);
  let classSize = -1;
  const showRows = (rows: Row[]) => {
    const now = performance.now();
    for (const row of rows) {
      const l = byId.get(row.id);
      if (!l) continue;
      // A row carries every report up to its command count: two reports in one flush show as one row.
      while (l.pending.length > 0 && l.pending[0]!.n <= row.position.commands) {
        const shown = l.pending.shift()!;
        latencies.push(now - shown.sentAt);
        beyondAnswer.push(shown.answeredAt === undefined ? 0 : now - shown.answeredAt);
      }
    }
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the dashboard got no class 30 s after its auth')), 30_000);
    dashboard.once('open', () => dashboard.send(JSON.stringify({ type: 'auth', secret: instructorSecret })));
    dashboard.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; learners?: Row[] };
      if (m.type === 'class') {
        dashboardCounts.class++;
        if (classSize < 0) {
          classSize = m.learners!.length;
          dashboard.send(JSON.stringify({ type: 'watch', learnerId: learners[0]!.id }));
          clearTimeout(timer);
          resolve();
        }
        showRows(m.learners!);
      } else if (m.type === 'learners') {
        dashboardCounts.learners++;
        showRows(m.learners!);
      } else if (m.type === 'watch' || m.type === 'output') dashboardCounts.relayed++;
      else if (m.type === 'error') fail(`the dashboard got ${data.toString().slice(0, 200)}`);
      else dashboardCounts.other++;
    });
    dashboard.on('error', (error) => fail(`dashboard socket: ${error.message}`));
    dashboard.on('close', (code) => closing || fail(`dashboard socket closed ${code}`));
  });
  if (classSize !== LEARNERS) fail(`the dashboard's class has ${classSize} learners, not ${LEARNERS}`);
  const withDashboard = await measureWindow('with');

  measuring = 'drain';
  await Promise.all([load, probe]);
  const drainUntil = performance.now() + DRAIN_MS;
  const unshown = () => learners.reduce((n, l) => n + l.pending.length, 0);
  while (unshown() > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));
  const missing = learners.filter((l) => l.pending.length > 0);
  if (missing.length > 0)
    fail(`${unshown()} reports of ${missing.length} learners never reached the dashboard within ${DRAIN_MS / 1000} s of the load's end`);
  measuring = 'done';

  closing = true;
  for (const s of sockets) s.close();
  await server.api('DELETE', `/api/workshops/${workshop.id}`, undefined, undefined, instructor);

  const q = (times: number[], at: number) => (times.length === 0 ? NaN : quantile(times, at));
  const p = (at: number) => q(latencies, at);
  const ms = (times: number[]) => `${q(times, 0.5).toFixed(0)} / ${q(times, 0.95).toFixed(0)} ms`;
  const maxLearnerMessages = Math.floor((withDashboard.seconds * 1000) / DASHBOARD_FLUSH_MS) + 1;
  console.log(`\n### workshop: ${LEARNERS} learners, a command every ${REPORT_EVERY_MS / 2000}–${(REPORT_EVERY_MS * 1.5) / 1000} s each\n`);
  console.log(
    '| window | reports/s | server CPU (% of a core) | report answered p50 / p95 | `GET /api/health` p50 / p95 | dashboard row messages/s | relayed (watched learner)/s | dashboard latency p50 / p95 / max | this client’s event-loop delay p95 |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const line = (name: 'without' | 'with', label: string, w: typeof without, latency: string) =>
    console.log(
      `| ${label} | ${w.reportsPerSecond.toFixed(0)} | ${w.cpu.toFixed(1)} % | ${ms(roundTrips[name])} | ${ms(healthTimes[name])} | ${(w.learnerMessages / w.seconds).toFixed(2)} | ${(w.relayed / w.seconds).toFixed(2)} | ${latency} | ${w.clientLoopP95Ms.toFixed(0)} ms |`,
    );
  line('without', 'no dashboard', without, '–');
  line(
    'with',
    'dashboard open, watching one learner',
    withDashboard,
    `${p(0.5).toFixed(0)} / ${p(0.95).toFixed(0)} / ${p(1).toFixed(0)} ms (${latencies.length} reports)`,
  );
  console.log(`\nthe dashboard latency's part after the report's own answer came back, p50 / p95: ${ms(beyondAnswer)}`);
  console.log(`class snapshots the dashboard got: ${dashboardCounts.class} (1 is its first; more means it read too slowly and deltas were dropped)`);
  const checks: Check[] = [
    {
      what: 'errors (refused reports, closed sockets, missing learners or reports)',
      measured: String(errors.length),
      target: '0',
      ok: errors.length === 0,
    },
    { what: 'dashboard latency p95', measured: `${p(0.95).toFixed(0)} ms`, target: `< ${LATENCY_P95_MS} ms`, ok: p(0.95) < LATENCY_P95_MS },
    {
      what: `dashboard row messages (coalesced every ${DASHBOARD_FLUSH_MS} ms)`,
      measured: String(withDashboard.learnerMessages),
      target: `≤ ${maxLearnerMessages}`,
      ok: withDashboard.learnerMessages <= maxLearnerMessages,
    },
    {
      what: 'server CPU with the dashboard open',
      measured: `${withDashboard.cpu.toFixed(1)} %`,
      target: `< ${CPU_MAX_PERCENT} %`,
      ok: withDashboard.cpu < CPU_MAX_PERCENT,
    },
    {
      what: 'server CPU, dashboard open ÷ none',
      measured: (withDashboard.cpu / without.cpu).toFixed(2),
      target: '(printed)',
      ok: true,
    },
  ];
  console.log('\n| target | measured | goal | met |\n|---|---:|---:|:---:|');
  for (const c of checks) console.log(`| ${c.what} | ${c.measured} | ${c.target} | ${c.ok ? 'yes' : '**no**'} |`);
  const ok = checks.every((c) => c.ok);
  console.log(`\nbench/workshop: load average ${loadAverage()} at the end`);
  if (!ok) process.exitCode = 1;
} catch (error) {
  console.error(`bench/workshop: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  closing = true;
  measuring = 'done';
  for (const s of sockets) s.terminate();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
