import { format, type Labels } from './labels.js';
import type { Cut } from './output-batch.js';

/**
 * The note a cut output ends with, in the learner's language: how much the terminal did
 * not show (`terminal.outputCut`), and that the sandbox stopped the command at its own
 * output cap (`terminal.outputStopped`), whose rest never reached the page.
 */
export function cutNote(labels: Labels, batch: { cut: Cut; cutUpstream: boolean }): string {
  const { lines, chars } = batch.cut;
  const parts: string[] = [];
  if (chars > 0) parts.push(format(labels, 'terminal.outputCut', { lines: groupDigits(lines), size: humanSize(chars) }));
  if (batch.cutUpstream) parts.push(format(labels, 'terminal.outputStopped'));
  return parts.join(' ');
}

/**
 * 123,456 as both locales write it (ko and en group by three with a comma). Not
 * `toLocaleString`: its first call in a page loads the locale's data, a task of 100 ms or
 * more on a slow machine, at the moment the page is busiest.
 */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function humanSize(chars: number): string {
  return chars >= 1024 * 1024 ? `${(chars / 1024 / 1024).toFixed(1)} MiB` : chars >= 1024 ? `${Math.round(chars / 1024)} KiB` : `${chars} B`;
}
