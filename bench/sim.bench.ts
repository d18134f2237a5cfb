// Issue "engine core": in Node, the simulator runs `docker run --rm busybox echo hi`
// at a median under 1 ms, and a mixed script of 1,000 commands in under 1 s.
import { createSimEngine } from '../src/sim/create-sim-engine.js';
import { measure, median, fmtMs, report } from './harness.js';
import { mixedScript } from './mixed-script.js';

const engine = await createSimEngine();
const runRm = await measure('sim: docker run --rm busybox echo hi', 2000, async () => {
  const r = await engine.exec('docker run --rm busybox echo hi');
  if (r.exitCode !== 0 || r.stdout !== 'hi\n') throw new Error(`unexpected result: ${JSON.stringify(r)}`);
});
await engine.dispose();

const script = mixedScript(1000);
const scripts = await measure('sim: mixed script, 1,000 commands (fresh engine each)', 10, async () => {
  const e = await createSimEngine();
  for (const line of script) {
    const r = await e.exec(line);
    if (r.exitCode !== 0) throw new Error(`${line} failed (${r.exitCode}): ${r.stderr}`);
  }
  await e.dispose();
}, 2);

const ok = report('Simulator (Node)', [runRm, scripts], [
  { what: '`docker run --rm busybox echo hi` median', measured: fmtMs(median(runRm.times)), target: '< 1 ms', ok: median(runRm.times) < 1 },
  { what: 'mixed script of 1,000 commands, median', measured: fmtMs(median(scripts.times)), target: '< 1 s', ok: median(scripts.times) < 1000 },
]);
process.exit(ok ? 0 : 1);
