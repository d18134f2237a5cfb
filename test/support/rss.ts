import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A collection on demand, without starting the test process with --expose-gc: so that what
// is measured is what the server holds, not freed heap it has yet to give back.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The process's resident memory after full collections. */
export function heldRss(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().rss;
}

/** The most the process's RSS grew above what it held while `work` ran, sampled every 10 ms. */
export async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T; grown: number }> {
  const before = heldRss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, grown: peak - before };
  } finally {
    clearInterval(timer);
  }
}
