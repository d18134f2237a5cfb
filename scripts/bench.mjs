#!/usr/bin/env node
// `npm run bench [name…]`: runs bench/*.bench.ts (all, or the named ones) one after
// another — never in parallel, they would measure each other — and exits non-zero
// when a target is missed. Paste the printed tables into BENCHMARKS.md with the command.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const wanted = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
let ok = true;
console.log(`# npm run bench ${wanted.join(' ')}\n\nnode ${process.version}, ${new Date().toISOString()}`);
for (const file of files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], { stdio: 'inherit' });
  if (r.status !== 0) {
    ok = false;
    console.log(`\n(${file}: exit ${r.status ?? r.signal})`);
  }
}
process.exit(ok ? 0 : 1);
