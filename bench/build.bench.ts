// Issue "builder": a 5-step Dockerfile (FROM busybox, RUN, COPY, ENV, RUN)
//  - on the Linux backend builds cold ≥ 1.5× faster than the Docker oracle's classic builder,
//    and a fully cached rebuild ≥ 2× faster, measured side by side in this run (root);
//  - in the simulator builds in under 20 ms.
// "Cold" is `--no-cache` on an engine that already has busybox: what a learner's rebuild
// after a change at the first step costs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsWorkspace } from '../sandbox-server/linux/fs-workspace.js';
import type { Engine } from '../src/engine/engine.js';
import { createSimEngine } from '../src/sim/create-sim-engine.js';
import { openLinuxEngines } from '../sandbox-server/sessions/linux-engine-factory.js';
import { fmtMs, median, measure, report, type Check, type Sample } from './harness.js';
// @ts-expect-error — a plain .mjs module without types
import { DOCKER, startOracle } from '../scripts/lib/oracle.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const work = mkdtempSync(join(tmpdir(), 'layerlab-build-bench-'));
const context = join(work, 'context');
spawnSync('mkdir', ['-p', context]);
writeFileSync(join(context, 'Dockerfile'), 'FROM busybox\nRUN echo one > /one\nCOPY app.txt /app/\nENV GREETING=hi\nRUN cat /app/app.txt > /two\n');
writeFileSync(join(context, 'app.txt'), 'hello\n');

async function build(engine: Engine, flags: string): Promise<void> {
  const r = await engine.exec(`docker build ${flags} -t bench .`);
  if (r.exitCode !== 0) throw new Error(`build failed: ${r.stderr}`);
}

const samples: Sample[] = [];
const checks: Check[] = [];

// The simulator, always.
const sim = await createSimEngine({ workspace: new FsWorkspace(context) });
const simCold = await measure('sim: cold build (--no-cache)', 50, () => build(sim, '--no-cache'), 5);
samples.push(simCold);
checks.push({ what: 'simulator: 5-step build, median', measured: fmtMs(median(simCold.times)), target: '< 20 ms', ok: median(simCold.times) < 20 });
await sim.dispose();

if (process.getuid?.() === 0) {
  const engines = await openLinuxEngines(join(work, 'state'));
  const linux = await engines.open(mkdtempSync(join(work, 'session-')), new FsWorkspace(context));
  let oracle: { env: Record<string, string>; stop(): Promise<void> } | undefined;
  try {
    oracle = await startOracle();
  } catch (error) {
    console.error(`no Docker oracle (${String(error).split('\n')[0]}): the ratios are left out`);
  }
  const docker = (flags: string[]) => {
    const r = spawnSync(DOCKER, ['build', ...flags, '--network=none', '-q', '-t', 'bench', '.'], {
      cwd: context,
      env: { ...process.env, ...oracle!.env, DOCKER_BUILDKIT: '0' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`docker build: ${r.stderr}`);
  };
  const lc: Sample = { name: 'Linux: cold build (--no-cache)', times: [] };
  const lw: Sample = { name: 'Linux: fully cached rebuild', times: [] };
  const dc: Sample = { name: 'Docker oracle, classic builder: cold (--no-cache)', times: [] };
  const dw: Sample = { name: 'Docker oracle, classic builder: fully cached', times: [] };
  const timed = async (s: Sample, fn: () => unknown) => {
    const t = performance.now();
    await fn();
    s.times.push(performance.now() - t);
  };
  await build(linux, '');
  if (oracle) docker([]);
  for (let i = 0; i < rounds; i++) {
    await timed(lc, () => build(linux, '--no-cache'));
    await timed(lw, () => build(linux, ''));
    if (oracle) {
      await timed(dc, () => docker(['--no-cache']));
      await timed(dw, () => docker([]));
    }
  }
  samples.push(lc, lw);
  if (oracle) {
    samples.push(dc, dw);
    const cold = median(dc.times) / median(lc.times);
    const warm = median(dw.times) / median(lw.times);
    checks.push({ what: 'Docker classic ÷ Linux backend, cold build', measured: `${cold.toFixed(2)}×`, target: '≥ 1.5×', ok: cold >= 1.5 });
    checks.push({ what: 'Docker classic ÷ Linux backend, cached rebuild', measured: `${warm.toFixed(2)}×`, target: '≥ 2×', ok: warm >= 2 });
  }
  await linux.dispose();
  await oracle?.stop();
} else {
  console.error('not root: the Linux rows are left out');
}
rmSync(work, { recursive: true, force: true });
process.exit(report('Dockerfile build (5 steps)', samples, checks) ? 0 : 1);
