// Issue 13, "Speed, measured fairly": each side timed from outside as a learner's client
// would, by hyperfine, each run a separate small process, in one run on this machine:
//  - `docker run --rm busybox echo hi`: a small static client (busybox `wget`) to the API
//    vs a shell cycle of mount + `runc run` + umount with the bundle Layerlab's runtime
//    wrote (bare-bundle.ts) vs the Docker oracle's CLI — Layerlab within 1.2× of the bare
//    cycle; `curl` to the API and each client's own cost (a GET of /api/health, `sh -c
//    true`) reported beside it, so the clients' start-up is seen, not hidden;
//  - noisy neighbours: that `curl` run of one session while another session's detached
//    container floods output, or fork-bombs, ÷ the same idle, alternating — under 3×;
//  - a 5-step build, cold (--no-cache) and fully cached, `curl` vs Docker's classic
//    builder — the cached rebuild ≥ 3× faster than Docker's.
// BENCH_RUNS sets the timed runs of each command (default 30).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, report, type Check, type Sample } from './harness.js';
import { bareBundleFrom } from './bare-bundle.js';
import { curlCommand, hyperfineRounds, wgetCommand } from './hyperfine.js';
import { loadAverage, startServer } from './server-child.js';
// @ts-expect-error — a plain .mjs module without types
import { DOCKER, startOracle } from '../scripts/lib/oracle.mjs';

if (process.getuid?.() !== 0) {
  console.error('bench/fair: needs root (overlayfs, runc)');
  process.exit(2);
}
const runs = Number(process.env.BENCH_RUNS ?? 30);
console.log(`\nbench/fair: load average ${loadAverage()} at start, ${runs} runs of each command`);

const work = mkdtempSync(join(tmpdir(), 'layerlab-fair-'));
const bareDir = join(work, 'bare');
mkdirSync(bareDir);
// The bare side's scratch on a tmpfs, as a session's state root is.
spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', bareDir]);
const server = await startServer(work);
let oracle: { env: Record<string, string>; stop(): Promise<void> } | undefined;
try {
  oracle = await startOracle();
} catch (error) {
  console.error(`no Docker oracle (${String(error).split('\n')[0]}): its rows are left out`);
}

const ratio = (a: Sample, b: Sample) => median(a.times) / median(b.times);
const samples: Sample[] = [];
const checks: Check[] = [];
try {
  // --- a container run ----------------------------------------------------------------
  const s = await server.newSession();
  // A running container has a bundle (runtime.create is `docker start`'s); the bare copy runs `echo hi`.
  const created = await server.command(s, 'docker run -d busybox sleep 3600');
  if (created.exitCode !== 0) throw new Error(`docker run -d: ${created.stderr}`);
  const bare = bareBundleFrom(server.stateDir, created.stdout.trim(), bareDir);
  const once = spawnSync('sh', ['-c', bare.command.replace('>/dev/null', '')], { encoding: 'utf8' });
  if (once.status !== 0) throw new Error(`bare cycle: ${once.stderr}`);
  const check = await server.command(s, 'docker run --rm busybox echo hi');
  if (check.stdout !== 'hi\n') throw new Error(`layerlab run: ${JSON.stringify(check)}`);
  const dockerRun = `${DOCKER} run --rm --network none busybox echo hi`;
  const runLine = 'docker run --rm busybox echo hi';
  const runSamples = hyperfineRounds(
    [
      { name: 'Layerlab: busybox `wget` POST `docker run --rm busybox echo hi`', command: wgetCommand(server.base, s, runLine) },
      { name: "bare: `sh` mount + `runc run` + umount, Layerlab's config.json", command: bare.command },
      { name: 'Layerlab: `curl` POST `docker run --rm busybox echo hi`', command: curlCommand(server.base, s, runLine) },
      { name: 'client only: busybox `wget` GET /api/health', command: `busybox wget -q -O /dev/null ${server.base}/api/health` },
      { name: 'client only: `curl` GET /api/health', command: `curl -sf -o /dev/null ${server.base}/api/health` },
      { name: "client only: `sh -c true` (the bare side's shell)", command: "sh -c 'true'" },
      ...(oracle ? [{ name: 'Docker oracle: `docker run --rm --network none busybox echo hi`', command: dockerRun }] : []),
    ],
    runs,
    { env: oracle?.env },
  );
  samples.push(...runSamples);
  const [lRun, bRun, cRun] = runSamples as [Sample, Sample, Sample];
  const dRun = oracle ? runSamples[6] : undefined;
  checks.push({
    what: 'run: Layerlab (wget) ÷ bare cycle (median)',
    measured: `${ratio(lRun, bRun).toFixed(2)}×`,
    target: '≤ 1.2×',
    ok: ratio(lRun, bRun) <= 1.2,
  });
  checks.push({ what: 'run: Layerlab (curl) ÷ bare cycle (median)', measured: `${ratio(cRun, bRun).toFixed(2)}×`, target: '(reported)', ok: true });
  if (dRun) checks.push({ what: 'run: Docker ÷ Layerlab (median)', measured: `${ratio(dRun, lRun).toFixed(2)}×`, target: '(reported)', ok: true });

  // --- noisy neighbours: another session floods output, or fork-bombs, in a detached container
  // (its output read at the session's pace, output-pace.ts; its PIDs and CPU under the
  // container's and the session's cgroup limits).
  const neighbour = await server.newSession();
  const quiet: Sample = { name: 'neighbour: `curl` POST `docker run --rm busybox echo hi`, idle', times: [] };
  const noisy = [
    {
      line: 'docker run -d busybox cat /dev/zero',
      sample: { name: 'neighbour: the same while another session runs `cat /dev/zero` detached', times: [] } as Sample,
    },
    {
      line: "docker run -d busybox sh -c 'b() { b | b & }; b'",
      sample: { name: 'neighbour: the same while another session runs a fork bomb detached', times: [] } as Sample,
    },
  ];
  const probe = [{ name: quiet.name, command: curlCommand(server.base, s, 'docker run --rm busybox echo hi') }];
  const perRound = Math.max(2, Math.round(runs / 3));
  for (let round = 0; round < 3; round++) {
    for (const { line, sample } of noisy) {
      quiet.times.push(...hyperfineRounds(probe, perRound, { rounds: 1 })[0]!.times);
      const started = await server.command(neighbour, line);
      if (started.exitCode !== 0) throw new Error(`${line}: ${started.stderr}`);
      sample.times.push(...hyperfineRounds(probe, perRound, { rounds: 1 })[0]!.times);
      await server.command(neighbour, `docker rm -f ${started.stdout.trim()}`);
    }
  }
  samples.push(quiet, ...noisy.map((n) => n.sample));
  for (const [what, { sample }] of [
    ['an output flood', noisy[0]!],
    ['a fork bomb', noisy[1]!],
  ] as const) {
    checks.push({
      what: `noisy neighbour, ${what}: ÷ idle (median)`,
      measured: `${ratio(sample, quiet).toFixed(2)}×`,
      target: '< 3×',
      ok: ratio(sample, quiet) < 3,
    });
  }

  // --- a 5-step build -------------------------------------------------------------------
  const b = await server.newSession();
  const context = join(work, 'context');
  mkdirSync(context);
  const files = {
    Dockerfile: 'FROM busybox\nRUN echo one > /one\nCOPY app.txt /app/\nENV GREETING=hi\nRUN cat /app/app.txt > /two\n',
    'app.txt': 'hello\n',
  };
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(context, path), content);
    await server.putFile(b, path, content);
  }
  const built = await server.command(b, 'docker build -t bench .');
  if (built.exitCode !== 0) throw new Error(`layerlab build: ${built.stderr}`);
  const dockerBuild = (flags: string) => `${DOCKER} build ${flags}--network=none -q -t bench .`;
  if (oracle) {
    const r = spawnSync('sh', ['-c', dockerBuild('')], {
      cwd: context,
      env: { ...process.env, ...oracle.env, DOCKER_BUILDKIT: '0' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`docker build: ${r.stderr}`);
  }
  const buildSamples = hyperfineRounds(
    [
      { name: 'Layerlab: `curl` POST `docker build --no-cache` (cold)', command: curlCommand(server.base, b, 'docker build --no-cache -t bench .') },
      { name: 'Layerlab: `curl` POST `docker build` (fully cached)', command: curlCommand(server.base, b, 'docker build -t bench .') },
      ...(oracle
        ? [
            { name: 'Docker classic: `docker build --no-cache` (cold)', command: dockerBuild('--no-cache ') },
            { name: 'Docker classic: `docker build` (fully cached)', command: dockerBuild('') },
          ]
        : []),
    ],
    Math.max(10, Math.round(runs / 2)),
    { env: { ...oracle?.env, DOCKER_BUILDKIT: '0' }, cwd: context },
  );
  samples.push(...buildSamples);
  const [lCold, lWarm, dCold, dWarm] = buildSamples as [Sample, Sample, Sample?, Sample?];
  const last = await server.command(b, 'docker build -t bench .');
  if (last.exitCode !== 0 || !/CACHED|Using cache/.test(last.stdout + last.stderr)) throw new Error(`layerlab cached build: ${JSON.stringify(last)}`);
  if (dCold && dWarm) {
    checks.push({
      what: 'build: Docker classic ÷ Layerlab, cold (median)',
      measured: `${ratio(dCold, lCold).toFixed(2)}×`,
      target: '(reported)',
      ok: true,
    });
    checks.push({
      what: 'build: Docker classic ÷ Layerlab, fully cached (median)',
      measured: `${ratio(dWarm, lWarm).toFixed(2)}×`,
      target: '≥ 3×',
      ok: ratio(dWarm, lWarm) >= 3,
    });
  }
  checks.push({ what: 'load average at the end (1 min)', measured: loadAverage(), target: '(reported)', ok: true });
} finally {
  await server.stop();
  await oracle?.stop();
  spawnSync('umount', [bareDir]);
  rmSync(work, { recursive: true, force: true });
}
process.exit(report('Speed from outside (hyperfine; curl, sh, docker CLI)', samples, checks) ? 0 : 1);
