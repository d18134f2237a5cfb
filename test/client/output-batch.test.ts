import { describe, expect, it } from 'vitest';
import { OutputBatch, type Stream } from '../../src/client/output-batch.js';

function aBatch(limit: number, perFrame = 1 << 20, perWrite?: number) {
  const written: [Stream, string][] = [];
  const frames: (() => void)[] = [];
  let painted = 0;
  const batch = new OutputBatch((s, t) => written.push([s, t]), {
    limit,
    perFrame,
    ...(perWrite ? { perWrite } : {}),
    afterFrame: () => painted++,
    schedule: (f) => void frames.push(f),
  });
  /** Runs the frames the batch asked for, one at a time, as the browser would; returns how many ran. */
  const runFrames = () => {
    let n = 0;
    while (frames.length > 0) {
      frames.shift()!();
      n++;
    }
    return n;
  };
  return { batch, written, frames, runFrames, painted: () => painted, text: () => written.map(([, t]) => t).join('') };
}

describe('OutputBatch', () => {
  it('writes once per frame however many chunks arrive, keeping the streams in order', () => {
    const { batch, written, frames, painted } = aBatch(1000);
    for (let i = 0; i < 100; i++) batch.push('stdout', `${i}\n`);
    batch.push('stderr', 'warn\n');
    batch.push('stdout', 'end\n');
    expect([frames.length, written.length]).toEqual([1, 0]);
    frames.shift()!();
    expect(written.map(([s]) => s)).toEqual(['stdout', 'stderr', 'stdout']);
    expect(written[0]![1].split('\n')).toHaveLength(101);
    expect(painted()).toBe(1);
  });

  it('writes at most perFrame characters a frame, ending each frame on a line end', () => {
    const { batch, written, runFrames, text } = aBatch(1 << 20, 100);
    const lines = Array.from({ length: 200 }, (_, i) => `${i + 1}\n`).join('');
    batch.push('stdout', lines);
    expect(runFrames()).toBeGreaterThanOrEqual(Math.ceil(lines.length / 100));
    expect(text()).toBe(lines);
    for (const [, t] of written) {
      expect(t.length).toBeLessThanOrEqual(100);
      expect(t.endsWith('\n')).toBe(true);
    }
  });

  it('hands the writer pieces of at most perWrite characters, whole lines, several a frame', () => {
    const { batch, written, frames, text } = aBatch(1 << 20, 100, 25);
    const lines = Array.from({ length: 30 }, (_, i) => `${i + 1}\n`).join('');
    batch.push('stdout', lines);
    frames.shift()!();
    expect(written.length).toBeGreaterThan(3);
    expect(text().length).toBeLessThanOrEqual(100);
    for (const [, t] of written) {
      expect(t.length).toBeLessThanOrEqual(25);
      expect(t.endsWith('\n')).toBe(true);
    }
  });

  it('halves the frame budget after a slow frame (a busy machine), down to an eighth, and doubles it after quick ones', () => {
    const written: string[] = [];
    const frames: ((now?: number) => void)[] = [];
    const batch = new OutputBatch((_, t) => written.push(t), { limit: 1 << 20, perFrame: 800, schedule: (f) => void frames.push(f) });
    batch.push('stdout', 'abcdefg\n'.repeat(1000));
    const perFrame: number[] = [];
    let now = 0;
    const run = (gap: number) => {
      now += gap;
      const before = written.join('').length;
      frames.shift()!(now);
      perFrame.push(written.join('').length - before);
    };
    run(16);
    for (let i = 0; i < 4; i++) run(120);
    for (let i = 0; i < 3; i++) run(16);
    // 800, then 400, 200, 100 (an eighth) twice, then back up: 200, 400, 800 — in whole lines of 8 (96 of 100).
    expect(perFrame).toEqual([800, 400, 200, 96, 96, 200, 400, 800]);
  });

  it('writes a line longer than a frame in pieces, so every frame makes progress', () => {
    const { batch, runFrames, text } = aBatch(1 << 20, 10);
    batch.push('stdout', `${'x'.repeat(35)}\n`);
    expect(runFrames()).toBe(4);
    expect(text()).toBe(`${'x'.repeat(35)}\n`);
  });

  it('cuts at the last whole line under the cap and counts what it cut', async () => {
    const { batch, runFrames, text } = aBatch(10);
    batch.push('stdout', '1234\n5678\n90\nabc\n');
    batch.push('stdout', 'more\n');
    const ended = batch.end();
    runFrames();
    await ended;
    expect(text()).toBe('1234\n5678\n');
    expect(batch.truncated).toBe(true);
    expect(batch.cut).toEqual({ lines: 3, chars: 12 });
  });

  it('does not show the start of a line whose end is past the cap (chunks split mid-line)', async () => {
    const { batch, runFrames, text } = aBatch(12);
    batch.push('stdout', '1234\n56');
    batch.push('stdout', '78\n9012\n');
    const ended = batch.end();
    runFrames();
    await ended;
    // "5678\n" ends at 10 ≤ 12: shown; "9012\n" would end at 15: cut, whole.
    expect(text()).toBe('1234\n5678\n');
    const { batch: b2, runFrames: run2, text: text2 } = aBatch(8);
    b2.push('stdout', '1234\n56');
    b2.push('stdout', '78\n');
    const ended2 = b2.end();
    run2();
    await ended2;
    // "5678\n" would end past 8: neither its start "56" (already accepted) nor its end is shown, and it is one cut line.
    expect(text2()).toBe('1234\n');
    expect(b2.cut).toEqual({ lines: 1, chars: 5 });
  });

  it('holds an unfinished line until its end arrives, or its stream pauses a frame', () => {
    const { batch, frames, text } = aBatch(1000);
    batch.push('stdout', 'one\ntw');
    frames.shift()!();
    expect(text()).toBe('one\n');
    batch.push('stdout', 'o\n');
    frames.shift()!();
    expect(text()).toBe('one\ntwo\n');
    batch.push('stdout', 'password: ');
    frames.shift()!();
    expect(text()).toBe('one\ntwo\n');
    // Nothing more came for a frame: a prompt is shown as it is.
    frames.shift()!();
    expect(text()).toBe('one\ntwo\npassword: ');
    expect(frames).toHaveLength(0);
  });

  it('ends: writes what is left (an unfinished last line too), then settles', async () => {
    const { batch, runFrames, text } = aBatch(1000, 4);
    batch.push('stdout', 'a\nb\nc\nlast');
    let settled = false;
    const ended = batch.end().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    runFrames();
    await ended;
    expect(text()).toBe('a\nb\nc\nlast');
    expect(batch.truncated).toBe(false);
  });

  it("a cut upstream (the sandbox's byte cap) drops the unfinished last line and is reported", async () => {
    const { batch, runFrames, text } = aBatch(1000);
    batch.push('stdout', '1\n2\n3\n4');
    const ended = batch.end({ cutUpstream: true });
    runFrames();
    await ended;
    expect(text()).toBe('1\n2\n3\n');
    expect(batch.truncated).toBe(true);
    expect(batch.cutUpstream).toBe(true);
    expect(batch.cut).toEqual({ lines: 1, chars: 1 });
  });
});
