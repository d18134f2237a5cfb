// Issue 15: the `-it` screen's emulator (src/client/vt/) replaced xterm.js. A program that floods its terminal must not
// make it the slow part: the same stream — 200,000 coloured lines, as `seq` or a long build log prints them, in 4 KiB
// writes as the pty delivers them — parsed into a 120×40 screen with 1000 lines of scrollback by ours and by xterm.js
// (@xterm/headless, its parser and buffer without a renderer), alternated round by round. Drawing is not in it: ours
// redraws only the changed rows once per frame (render.ts).
import { createRequire } from 'node:module';
import type * as XtermHeadless from '@xterm/headless';
import { VtParser } from '../src/client/vt/parser.js';
import { Screen } from '../src/client/vt/screen.js';
import { median, report } from './harness.js';

// A CommonJS package: Node's ESM loader does not see its named exports (Vitest's does).
const { Terminal } = createRequire(import.meta.url)('@xterm/headless') as typeof XtermHeadless;

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const stream = Array.from({ length: 200_000 }, (_, i) => `${i} the quick brown fox \x1b[1;31mjumps\x1b[0m over the lazy dog`).join('\r\n');
const chunks: string[] = [];
for (let i = 0; i < stream.length; i += 4096) chunks.push(stream.slice(i, i + 4096));

const ours: number[] = [];
const xterm: number[] = [];
let oursLast = '';
let xtermLast = '';
for (let round = 0; round < rounds; round++) {
  let started = performance.now();
  const screen = new Screen(120, 40, 1000);
  const parser = new VtParser(screen);
  for (const chunk of chunks) parser.write(chunk);
  ours.push(performance.now() - started);
  oursLast = screen.text().trimEnd().split('\n').at(-1)!;

  started = performance.now();
  const term = new Terminal({ cols: 120, rows: 40, scrollback: 1000, allowProposedApi: true });
  // Written at once, the last write's callback awaited: xterm.js parses in timer slices of its own.
  for (const chunk of chunks.slice(0, -1)) term.write(chunk);
  await new Promise<void>((done) => term.write(chunks.at(-1)!, done));
  xterm.push(performance.now() - started);
  const buffer = term.buffer.normal;
  xtermLast = buffer.getLine(buffer.baseY + buffer.cursorY)!.translateToString(true);
  term.dispose();
}

const mb = stream.length / 2 ** 20;
const ratio = median(ours) / median(xterm);
const ok = report(
  `Terminal emulator: ${mb.toFixed(1)} MB of coloured lines into a 120×40 screen (Node ${process.version})`,
  [
    { name: 'ours (src/client/vt/)', times: ours },
    { name: 'xterm.js (@xterm/headless 6)', times: xterm },
  ],
  [
    { what: 'ours ÷ xterm.js, medians', measured: ratio.toFixed(2), target: '≤ 1.5', ok: ratio <= 1.5 },
    { what: 'ours, throughput', measured: `${(mb / (median(ours) / 1000)).toFixed(0)} MB/s`, target: '(printed)', ok: true },
    { what: 'the last line, the same on both', measured: JSON.stringify(oursLast), target: JSON.stringify(xtermLast), ok: oursLast === xtermLast },
  ],
);
process.exit(ok ? 0 : 1);
