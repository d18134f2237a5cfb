#!/usr/bin/env node
// `npm test`: type checks, lint, the site build the browser tests need, then every
// Vitest project (unit, linux, browser). Ends with one plain summary line
// ("tests: N passed, N failed, N skipped") that CI and people can read.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const quick = args.includes('--quick'); // skip checks and build: just the tests
const vitestArgs = args.filter((a) => a !== '--quick');

function step(title, cmd, cmdArgs, env = {}) {
  console.log(`\n▶ ${title}: ${cmd} ${cmdArgs.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✗ ${title} failed (exit ${result.status ?? result.signal}) after ${seconds}s`);
    return false;
  }
  console.log(`✓ ${title} (${seconds}s)`);
  return true;
}

let ok = true;
if (!quick) {
  ok = step('type check (astro check)', 'npx', ['astro', 'check', '--minimumSeverity', 'warning']) && ok;
  ok = step('type check (tsc)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) && ok;
  ok = step('lint', 'npx', ['eslint', '.', '--max-warnings', '0']) && ok;
  ok = step('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']) && ok;
  ok = step('site build', 'npx', ['astro', 'build', '--silent']) && ok;
}

const out = mkdtempSync(join(tmpdir(), 'layerlab-vitest-'));
const report = join(out, 'report.json');
const testsOk = step('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs]);
ok = testsOk && ok;

let summary = 'tests: no report (vitest did not finish)';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
} catch {
  ok = false;
}
rmSync(out, { recursive: true, force: true });
console.log(`\n${summary}`);
process.exit(ok ? 0 : 1);
