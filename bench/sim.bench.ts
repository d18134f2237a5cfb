// Issue "engine core": in Node, the simulator runs `docker run --rm busybox echo hi`
// at a median under 1 ms, and a mixed script of 1,000 commands in under 1 s.
import { createSimEngine } from '../src/sim/create-sim-engine.js';
import { measure, median, fmtMs, report, type Check } from './harness.js';
import { mixedScript } from './mixed-script.js';

const engine = await createSimEngine();
const runRm = await measure('sim: docker run --rm busybox echo hi', 2000, async () => {
  const r = await engine.exec('docker run --rm busybox echo hi');
  if (r.exitCode !== 0 || r.stdout !== 'hi\n') throw new Error(`unexpected result: ${JSON.stringify(r)}`);
});
await engine.dispose();

const script = mixedScript(1000);
const scripts = await measure(
  'sim: mixed script, 1,000 commands (fresh engine each)',
  10,
  async () => {
    const e = await createSimEngine();
    for (const line of script) {
      const r = await e.exec(line);
      if (r.exitCode !== 0) throw new Error(`${line} failed (${r.exitCode}): ${r.stderr}`);
    }
    await e.dispose();
  },
  2,
);

const samples = [runRm, scripts];
const checks: Check[] = [
  { what: '`docker run --rm busybox echo hi` median', measured: fmtMs(median(runRm.times)), target: '< 1 ms', ok: median(runRm.times) < 1 },
  { what: 'mixed script of 1,000 commands, median', measured: fmtMs(median(scripts.times)), target: '< 1 s', ok: median(scripts.times) < 1000 },
];

// The same script on real containers, for the ratio (root only). Ten rounds of the
// script's 16 commands: long enough to be fair, short enough to finish in minutes.
if (process.getuid?.() === 0 && process.env.BENCH_LINUX !== '0') {
  const { openLinuxEngines } = await import('../sandbox-server/sessions/linux-engine-factory.js');
  const { MemoryWorkspace } = await import('../src/sim/memory-workspace.js');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const stateDir = await mkdtemp(join(tmpdir(), 'layerlab-sim-bench-'));
  const engines = await openLinuxEngines(stateDir);
  const linux = await engines.open(await mkdtemp(join(stateDir, 'session-')), new MemoryWorkspace());
  const part = mixedScript(160);
  const started = performance.now();
  for (const line of part) {
    const r = await linux.exec(line);
    if (r.exitCode !== 0) throw new Error(`linux: ${line} failed (${r.exitCode}): ${r.stderr}`);
  }
  const linuxPerCommand = (performance.now() - started) / part.length;
  await linux.dispose();
  await rm(stateDir, { recursive: true, force: true });
  const simPerCommand = median(scripts.times) / script.length;
  samples.push({ name: 'Linux backend: the same script, per command (160 commands)', times: [linuxPerCommand] });
  checks.push({
    what: 'Linux ÷ simulator, per command of the mixed script',
    measured: `${(linuxPerCommand / simPerCommand).toFixed(0)}×`,
    target: '(reported)',
    ok: true,
  });
}
const ok = report('Simulator (Node)', samples, checks);
process.exit(ok ? 0 : 1);
