// Issue 17: `docker push` and `docker pull` of a 5-layer image (busybox and four RUN layers of
// ~0.5 MB of text each) — on the simulator, against its memory registry; as root, the Linux
// backend and the Docker oracle side by side against the same Debian docker-registry (started
// here on a free loopback port, storage under /tmp). Each round pushes to a new repository
// (the base layer is mounted, the four others sent) and pulls the image back after rmi (the
// base layer already exists, four are fetched). No target: the figures are reported beside
// Docker's, as the issue asks.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../src/engine/engine.js';
import { FsWorkspace } from '../sandbox-server/linux/fs-workspace.js';
import { openLinuxEngines } from '../sandbox-server/sessions/linux-engine-factory.js';
import { createSimEngine } from '../src/sim/create-sim-engine.js';
import { hostBaseLayerSource } from '../test/support/host-base-layer.js';
import { startDockerRegistry } from '../test/support/docker-registry.js';
import { fmtMs, median, report, type Check, type Sample } from './harness.js';
// @ts-expect-error — a plain .mjs module without types
import { DOCKER, startOracle } from '../scripts/lib/oracle.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const work = mkdtempSync(join(tmpdir(), 'layerlab-registry-bench-'));
// The engine's state dir below it is opened for the user namespace's root (mapped-root-access.ts).
chmodSync(work, 0o711);
const context = join(work, 'context');
spawnSync('mkdir', ['-p', context]);
/** Round `r`'s Dockerfile: four RUN layers no earlier round made, so each push sends them. */
const dockerfile = (r: number) =>
  writeFileSync(
    join(context, 'Dockerfile'),
    `FROM busybox\n${[1, 2, 3, 4].map((n) => `RUN seq ${n} 90000 > /seq${n} && echo ${r} > /round${n}\n`).join('')}`,
  );

const samples: Sample[] = [];
const checks: Check[] = [];

async function exec(engine: Engine, line: string): Promise<void> {
  const r = await engine.exec(line);
  if (r.exitCode !== 0) throw new Error(`${line}: ${r.stderr}`);
}

/** Builds round `r`'s image, pushes it to a new repository, removes it, pulls it back: the two times. */
async function roundTrip(engine: Engine, repo: string, r: number): Promise<[number, number]> {
  dockerfile(r);
  await exec(engine, `docker build -q -t ${repo} .`);
  let t = performance.now();
  await exec(engine, `docker push ${repo}`);
  const push = performance.now() - t;
  await exec(engine, `docker rmi ${repo}`);
  t = performance.now();
  await exec(engine, `docker pull ${repo}`);
  const pull = performance.now() - t;
  await exec(engine, `docker rmi ${repo}`);
  return [push, pull];
}

async function measureEngine(label: string, engine: Engine, repo: (i: number) => string, base = 0): Promise<Sample[]> {
  const push: Sample = { name: `${label}: push (5 layers, 4 sent)`, times: [] };
  const pull: Sample = { name: `${label}: pull after rmi (4 layers fetched)`, times: [] };
  await roundTrip(engine, repo(-1), base - 1);
  for (let i = 0; i < rounds; i++) {
    const [a, b] = await roundTrip(engine, repo(i), base + i);
    push.times.push(a);
    pull.times.push(b);
  }
  return [push, pull];
}

// The simulator, always.
const sim = await createSimEngine({ workspace: new FsWorkspace(context), layerSource: hostBaseLayerSource() });
// Rounds 0… on the simulator, 100… on Linux, 1000… on Docker: no engine meets another's layers.
samples.push(...(await measureEngine('simulator (memory registry)', sim, (i) => `localhost:5000/sim${i + 1}`)));
await sim.dispose();

if (process.getuid?.() === 0) {
  const registry = await startDockerRegistry(work);
  const port = registry.port;
  try {
    const engines = await openLinuxEngines(join(work, 'state'));
    const linux = await engines.open(mkdtempSync(join(work, 'session-')), new FsWorkspace(context), { registry: registry.transport });
    const onLinux = await measureEngine(`Linux backend → docker-registry`, linux, (i) => `localhost:5000/ll${i + 1}`, 100);
    samples.push(...onLinux);
    await linux.dispose();

    let oracle: { env: Record<string, string>; stop(): Promise<void> } | undefined;
    try {
      oracle = await startOracle();
    } catch (error) {
      console.error(`no Docker oracle (${String(error).split('\n')[0]}): its rows are left out`);
    }
    if (oracle) {
      const docker = (args: string[]) => {
        const r = spawnSync(DOCKER, args, { cwd: context, env: { ...process.env, ...oracle!.env, DOCKER_BUILDKIT: '0' }, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
      };
      const timed = (args: string[]) => {
        const t = performance.now();
        docker(args);
        return performance.now() - t;
      };
      const push: Sample = { name: 'Docker oracle → docker-registry: push (5 layers, 4 sent)', times: [] };
      const pull: Sample = { name: 'Docker oracle → docker-registry: pull after rmi (4 layers fetched)', times: [] };
      for (let i = -1; i < rounds; i++) {
        const repo = `localhost:${port}/dk${i + 1}`;
        dockerfile(1000 + i);
        docker(['build', '-q', '--network=none', '-t', repo, '.']);
        const a = timed(['push', repo]);
        docker(['rmi', repo]);
        const b = timed(['pull', repo]);
        docker(['rmi', repo]);
        if (i >= 0) {
          push.times.push(a);
          pull.times.push(b);
        }
      }
      samples.push(push, pull);
      checks.push({
        what: 'push: Docker ÷ Linux backend (median)',
        measured: `${(median(push.times) / median(onLinux[0]!.times)).toFixed(2)}×`,
        target: 'reported',
        ok: true,
      });
      checks.push({
        what: 'pull: Docker ÷ Linux backend (median)',
        measured: `${(median(pull.times) / median(onLinux[1]!.times)).toFixed(2)}×`,
        target: 'reported',
        ok: true,
      });
      await oracle.stop();
    }
  } finally {
    await registry.stop();
  }
} else {
  console.error('not root: the Linux and Docker rows are left out');
}
checks.push({ what: 'simulator: push, median', measured: fmtMs(median(samples[0]!.times)), target: 'reported', ok: true });
rmSync(work, { recursive: true, force: true });
process.exit(report('docker push / pull of a 5-layer image', samples, checks) ? 0 : 1);
