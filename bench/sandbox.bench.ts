// Issue "sandbox server", side by side in one run (root, overlayfs, runc; dockerd for the oracle):
//  - `docker run --rm busybox echo hi` through the HTTP API ≥ 4× faster than the Docker
//    oracle's `docker run --rm --network none busybox echo hi`, and within 2× of a bare
//    mount + `runc run` + umount cycle;
//  - 50 concurrent sessions each running 10 containers: all succeed, p95 < 1 s, nothing leaked
//    (beside it the same 50 × 10 load on bare mount + `runc run` + umount, what this machine allows);
//  - an idle session costs the server < 2 MB of memory.
// The three single-container cases are interleaved round by round so that machine noise
// falls on all of them alike.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtMs, median, quantile, report, type Check, type Sample } from './harness.js';
import { buildBaseImage } from '../sandbox-server/linux/base-image.js';
// @ts-expect-error — a plain .mjs module without types
import { DOCKER, startOracle } from '../scripts/lib/oracle.mjs';

if (process.getuid?.() !== 0) {
  console.error('bench/sandbox: needs root (overlayfs, runc)');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'layerlab-bench-'));
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);

// --- the server, as `npm start` runs it -------------------------------------------------
const port = 20000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox-server/main.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    LAYERLAB_STATE_DIR: join(work, 'state'),
    LAYERLAB_SITE_DIR: join(work, 'no-site'),
    LAYERLAB_SESSIONS_PER_MINUTE: '10000',
    LAYERLAB_MAX_SESSIONS: '1000',
    LAYERLAB_SESSIONS_PER_ADDRESS: '1000',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve, reject) => {
  server.stdout!.on('data', (b: Buffer) => (b.toString().includes('Layerlab is running') ? resolve() : undefined));
  server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});

async function api<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok && res.status !== 204) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}
type Session = { id: string; token: string };
const newSession = () => api<Session>('POST', '/api/sessions');
const command = (s: Session, line: string) => api<{ stdout: string; stderr: string; exitCode: number }>('POST', `/api/sessions/${s.id}/commands`, s.token, { command: line });

// --- the bare baseline: mount + runc run + umount, nothing else -------------------------
const baseLayer = await buildBaseImage({ root: join(work, 'base'), busybox: '/bin/busybox' });
const bundle = join(work, 'bare');
mkdirSync(join(bundle, 'rootfs'), { recursive: true });
spawnSync('runc', ['spec', '--bundle', bundle]);
const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
spec.process.terminal = false;
spec.process.args = ['echo', 'hi'];
writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
let bareN = 0;
function bareCycle(): void {
  const n = bareN++;
  const upper = join(work, `bare-${n}`);
  mkdirSync(join(upper, 'upper'), { recursive: true });
  mkdirSync(join(upper, 'work'));
  const mount = spawnSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${baseLayer.layerDir},upperdir=${upper}/upper,workdir=${upper}/work`, join(bundle, 'rootfs')]);
  if (mount.status !== 0) throw new Error(`mount: ${mount.stderr}`);
  const run = spawnSync('runc', ['run', '--bundle', bundle, `bare-${process.pid}-${n}`], { encoding: 'utf8' });
  spawnSync('umount', [join(bundle, 'rootfs')]);
  rmSync(upper, { recursive: true, force: true });
  if (run.stdout !== 'hi\n') throw new Error(`runc run: ${run.status} ${run.stdout} ${run.stderr}`);
}

// The same cycle without blocking, each in its own bundle, for the bare side of the concurrent load.
const run = (cmd: string, args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
async function bareCycleConcurrent(): Promise<void> {
  const n = bareN++;
  const dir = join(work, `bare-${n}`);
  for (const d of ['upper', 'work', 'rootfs']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
  const mount = await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${baseLayer.layerDir},upperdir=${dir}/upper,workdir=${dir}/work`, join(dir, 'rootfs')]);
  if (mount.code !== 0) throw new Error(`mount: ${mount.stderr}`);
  const r = await run('runc', ['run', '--bundle', dir, `bare-${process.pid}-${n}`]);
  await run('umount', [join(dir, 'rootfs')]);
  rmSync(dir, { recursive: true, force: true });
  if (r.stdout !== 'hi\n') throw new Error(`runc run: ${r.code} ${r.stdout} ${r.stderr}`);
}

// --- the oracle ---------------------------------------------------------------------------
let oracle: { env: Record<string, string>; stop(): Promise<void> } | undefined;
try {
  oracle = await startOracle();
} catch (error) {
  console.error(`no Docker oracle (${String(error).split('\n')[0]}): its rows are left out`);
}
function dockerCycle(): void {
  const r = spawnSync(DOCKER, ['run', '--rm', '--network', 'none', 'busybox', 'echo', 'hi'], { env: { ...process.env, ...oracle!.env }, encoding: 'utf8' });
  if (r.stdout !== 'hi\n') throw new Error(`docker run: ${r.status} ${r.stderr}`);
}

const samples: Sample[] = [];
const checks: Check[] = [];
try {
  const s = await newSession();
  const layerlab: Sample = { name: 'Layerlab: HTTP `docker run --rm busybox echo hi`', times: [] };
  const bare: Sample = { name: 'bare: mount + `runc run` + umount', times: [] };
  const docker: Sample = { name: 'Docker oracle: `docker run --rm --network none busybox echo hi`', times: [] };
  const timed = async (sample: Sample, fn: () => unknown) => {
    const t = performance.now();
    await fn();
    sample.times.push(performance.now() - t);
  };
  for (let i = 0; i < 3; i++) {
    await command(s, 'docker run --rm busybox echo hi');
    bareCycle();
    if (oracle) dockerCycle();
  }
  for (let i = 0; i < rounds; i++) {
    await timed(layerlab, async () => {
      const r = await command(s, 'docker run --rm busybox echo hi');
      if (r.stdout !== 'hi\n') throw new Error(`layerlab: ${JSON.stringify(r)}`);
    });
    await timed(bare, bareCycle);
    if (oracle) await timed(docker, dockerCycle);
  }
  samples.push(layerlab, bare);
  const l = median(layerlab.times);
  checks.push({ what: 'Layerlab ÷ bare runc cycle (median)', measured: `${(l / median(bare.times)).toFixed(2)}×`, target: '≤ 2×', ok: l / median(bare.times) <= 2 });
  if (oracle) {
    samples.push(docker);
    checks.push({ what: 'Docker oracle ÷ Layerlab (median)', measured: `${(median(docker.times) / l).toFixed(2)}×`, target: '≥ 4×', ok: median(docker.times) / l >= 4 });
  }
  await api('DELETE', `/api/sessions/${s.id}`, s.token);

  // 50 concurrent sessions × 10 containers each.
  const perRun: number[] = [];
  let failures = 0;
  const failureSamples = new Set<string>();
  const sessions = await Promise.all(Array.from({ length: 50 }, () => newSession()));
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (sess) => {
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        const r = await command(sess, 'docker run --rm busybox echo hi').catch((error: unknown) => String(error));
        perRun.push(performance.now() - t);
        if (typeof r === 'string' || r.stdout !== 'hi\n' || r.exitCode !== 0) {
          failures++;
          if (failureSamples.size < 5) failureSamples.add(typeof r === 'string' ? r.slice(0, 200) : JSON.stringify(r).slice(0, 200));
        }
      }
    }),
  );
  const wall = performance.now() - t0;
  for (const f of failureSamples) console.log(`failure: ${f}`);
  await Promise.all(sessions.map((sess) => api('DELETE', `/api/sessions/${sess.id}`, sess.token)));
  samples.push({ name: '50 sessions × 10 containers, each run', times: perRun });
  checks.push({ what: '500 runs across 50 concurrent sessions succeed', measured: `${500 - failures}/500 in ${fmtMs(wall)}`, target: '500/500', ok: failures === 0 });
  checks.push({ what: 'p95 of a run under that load', measured: fmtMs(quantile(perRun, 0.95)), target: '< 1 s', ok: quantile(perRun, 0.95) < 1000 });
  // The same load on bare runc: what the machine allows, so the absolute target is read beside it.
  const bareLoad: number[] = [];
  const bareT0 = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        await bareCycleConcurrent();
        bareLoad.push(performance.now() - t);
      }
    }),
  );
  const bareWall = performance.now() - bareT0;
  samples.push({ name: 'bare: the same 50 × 10 load, mount + `runc run` + umount', times: bareLoad });
  checks.push({
    what: 'that load: Layerlab ÷ bare runc (p95; wall)',
    measured: `${(quantile(perRun, 0.95) / quantile(bareLoad, 0.95)).toFixed(2)}× (bare p95 ${fmtMs(quantile(bareLoad, 0.95))}); ${(wall / bareWall).toFixed(2)}× (${fmtMs(wall)} ÷ ${fmtMs(bareWall)})`,
    target: '(reported)',
    ok: true,
  });
  const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').filter((m) => m.includes(join(work, 'state'))).length;
  const runcLeft = spawnSync('runc', ['list', '-q'], { encoding: 'utf8' }).stdout.split('\n').filter((id) => id && !id.startsWith('bare-')).length;
  checks.push({ what: 'mounts / runc containers left after the sessions are deleted', measured: `${mounts} / ${runcLeft}`, target: '0 / 0', ok: mounts === 0 && runcLeft === 0 });

  // Idle sessions: the server's RSS grows by how much per session?
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) * 1024;
  const before = rss();
  const idle = [];
  for (let i = 0; i < 100; i++) idle.push(await newSession());
  await new Promise((r) => setTimeout(r, 1000));
  const perSession = (rss() - before) / 100;
  checks.push({ what: 'server memory per idle session (RSS growth over 100 sessions)', measured: `${(perSession / 1e6).toFixed(2)} MB`, target: '< 2 MB', ok: perSession < 2e6 });
  await Promise.all(idle.map((sess) => api('DELETE', `/api/sessions/${sess.id}`, sess.token)));
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  await oracle?.stop();
  // The bench's own leftovers: base-image layer dirs and bare bundles (nothing mounted now).
  rmSync(work, { recursive: true, force: true });
}
process.exit(report('Sandbox server (Linux, runc)', samples, checks) ? 0 : 1);
