import { describe, expect, it } from 'vitest';
import { seq } from '../../../src/sim/applets/text-filters.js';
import type { AppletContext } from '../../../src/sim/process/context.js';

/** The part of an applet's context seq uses: its argv, its output, its kill signal. */
function aContext(argv: string[], signal = new AbortController().signal) {
  const writes: string[] = [];
  const write = (d: string | Uint8Array) => void writes.push(typeof d === 'string' ? d : new TextDecoder().decode(d));
  const ctx = { argv, stdout: { isTTY: false, write }, stderr: { isTTY: false, write }, signal } as unknown as AppletContext;
  return { ctx, writes };
}

describe('seq', () => {
  it('writes a long count as it goes, with turns of the event loop between, not in one task', async () => {
    const { ctx, writes } = aContext(['seq', '1', '200000']);
    let timerTurns = 0;
    const ticker = setInterval(() => timerTurns++, 0);
    try {
      expect(await seq(ctx)).toBe(0);
    } finally {
      clearInterval(ticker);
    }
    expect(writes.join('')).toBe(Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join(''));
    expect(writes.length).toBeGreaterThan(10);
    for (const w of writes) expect(w.endsWith('\n')).toBe(true);
    // The page's timers (its frames) ran while seq counted.
    expect(timerTurns).toBeGreaterThan(5);
  });

  it('stops an endless count when the process is killed', async () => {
    const kill = new AbortController();
    const { ctx, writes } = aContext(['seq', '1', '1e12'], kill.signal);
    const running = seq(ctx);
    await new Promise((resolve) => setTimeout(resolve, 20));
    kill.abort();
    await running;
    const after = writes.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes.length).toBe(after);
  });
});
