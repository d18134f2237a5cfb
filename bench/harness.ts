/**
 * A tiny side-by-side benchmark harness. Machines here are noisy, so every target is
 * a ratio measured in one run (or an absolute bound with its median and p95 printed),
 * never a timed test.
 */
export interface Sample {
  name: string;
  /** Milliseconds of each iteration. */
  times: number[];
}

export async function measure(
  name: string,
  iterations: number,
  fn: () => Promise<unknown> | unknown,
  warmup = Math.min(20, iterations),
): Promise<Sample> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { name, times };
}

export function quantile(times: readonly number[], q: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (times: readonly number[]) => quantile(times, 0.5);

export function fmtMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : ms < 1000 ? `${ms.toFixed(2)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export interface Check {
  what: string;
  measured: string;
  target: string;
  ok: boolean;
}

/** Prints a markdown table of results and returns whether every check held. */
export function report(title: string, samples: Sample[], checks: Check[]): boolean {
  console.log(`\n### ${title}\n`);
  console.log('| case | n | median | p95 |');
  console.log('|---|---:|---:|---:|');
  for (const s of samples) console.log(`| ${s.name} | ${s.times.length} | ${fmtMs(median(s.times))} | ${fmtMs(quantile(s.times, 0.95))} |`);
  console.log('\n| target | measured | goal | met |');
  console.log('|---|---:|---:|:---:|');
  for (const c of checks) console.log(`| ${c.what} | ${c.measured} | ${c.target} | ${c.ok ? 'yes' : '**no**'} |`);
  return checks.every((c) => c.ok);
}
