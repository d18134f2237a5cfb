import { describe, expect, it } from 'vitest';
import { OutputBatch, type Stream } from '../../src/client/output-batch.js';

function aBatch(limit: number) {
  const written: [Stream, string][] = [];
  const frames: (() => void)[] = [];
  const batch = new OutputBatch(
    (s, t) => written.push([s, t]),
    limit,
    (f) => void frames.push(f),
  );
  return { batch, written, frames };
}

describe('OutputBatch', () => {
  it('writes once per frame however many chunks arrive, keeping the streams in order', () => {
    const { batch, written, frames } = aBatch(1000);
    for (let i = 0; i < 100; i++) batch.push('stdout', `${i}\n`);
    batch.push('stderr', 'warn\n');
    batch.push('stdout', 'end\n');
    expect([frames.length, written.length]).toEqual([1, 0]);
    frames[0]!();
    expect(written.map(([s]) => s)).toEqual(['stdout', 'stderr', 'stdout']);
    expect(written[0]![1].split('\n')).toHaveLength(101);
  });

  it('cuts at the last whole line under the cap and counts what it cut', () => {
    const { batch, written } = aBatch(10);
    batch.push('stdout', '1234\n5678\n90\nabc\n');
    batch.flush();
    batch.push('stdout', 'more\n');
    batch.flush();
    expect(written).toEqual([['stdout', '1234\n5678\n']]);
    expect(batch.truncated).toBe(true);
    expect(batch.cut).toEqual({ lines: 3, chars: 12 });
  });
});
