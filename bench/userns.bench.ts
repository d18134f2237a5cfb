// Issue "host safety", item 4: what the user namespace costs a container. `docker run --rm
// busybox true` through the engine API on two Linux engines side by side, one with
// LAYERLAB_USERNS=off and one with the default range, interleaved round by round (A B, B A, …)
// so that machine noise falls on both alike. Wall time is what a learner waits; CPU (the
// server's and its reaped children's — runc, its init, mount) is what the machine pays, and
// is far less sensitive to other load on a shared box than the wall time.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtMs, median, report, type Check, type Sample } from './harness.js';
import { openLinuxEngines } from '../sandbox-server/sessions/linux-engine-factory.js';
import { MemoryWorkspace } from '../src/sim/memory-workspace.js';

if (process.getuid?.() !== 0) {
  console.error('bench/userns: needs root (overlayfs, runc)');
  process.exit(2);
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 40);
const COMMAND = 'docker run --rm busybox true';

/** utime + stime + cutime + cstime of this process, in ms (/proc/self/stat, clock ticks of 10 ms). */
function cpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
}

async function side(setting: string) {
  // The setting is read when the backend opens (id-mapping.ts); each side has its own state dir.
  process.env.LAYERLAB_USERNS = setting;
  const stateDir = await mkdtemp(join(tmpdir(), 'layerlab-userns-bench-'));
  const engines = await openLinuxEngines(stateDir);
  const engine = await engines.open(await mkdtemp(join(stateDir, 'session-')), new MemoryWorkspace());
  return { setting, stateDir, engine, wall: [] as number[], cpu: [] as number[] };
}

const sides = [await side('off'), await side('100000:65536')];
for (const s of sides) for (let i = 0; i < 3; i++) await s.engine.exec(COMMAND);
for (let round = 0; round < rounds; round++) {
  for (const s of round % 2 ? [...sides].reverse() : sides) {
    const started = performance.now();
    const cpu = cpuMs();
    const r = await s.engine.exec(COMMAND);
    s.wall.push(performance.now() - started);
    s.cpu.push(cpuMs() - cpu);
    if (r.exitCode !== 0) throw new Error(`LAYERLAB_USERNS=${s.setting}: ${COMMAND} failed (${r.exitCode}): ${r.stderr}`);
  }
}
for (const s of sides) {
  await s.engine.dispose();
  await rm(s.stateDir, { recursive: true, force: true });
}

const [off, on] = sides as [(typeof sides)[0], (typeof sides)[0]];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const samples: Sample[] = [
  { name: `\`${COMMAND}\`, LAYERLAB_USERNS=off`, times: off.wall },
  { name: `\`${COMMAND}\`, LAYERLAB_USERNS=100000:65536 (default)`, times: on.wall },
];
const cpuRatio = mean(on.cpu) / mean(off.cpu);
const checks: Check[] = [
  { what: 'wall time, user namespace ÷ none (medians)', measured: `${(median(on.wall) / median(off.wall)).toFixed(2)}×`, target: '(reported)', ok: true },
  { what: 'paired difference of wall time (median of rounds)', measured: fmtMs(median(on.wall.map((t, i) => t - off.wall[i]!))), target: '(reported)', ok: true },
  { what: `CPU per run (server + children): ${fmtMs(mean(on.cpu))} vs ${fmtMs(mean(off.cpu))}`, measured: `${cpuRatio.toFixed(2)}×`, target: '≤ 1.2×', ok: cpuRatio <= 1.2 },
];
const ok = report('User namespace: a container with and without it (Linux, runc)', samples, checks);
process.exit(ok ? 0 : 1);
