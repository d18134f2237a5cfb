import { describe, expect, it } from 'vitest';
import { ContainerLog } from '../../../src/engine/containers/container-log.js';
import { utf8Length } from '../../../src/engine/format/utf8.js';
import { aSimEngine } from '../support/sim-engine.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (log: ContainerLog) =>
  log
    .read()
    .map((c) => c.text)
    .join('');

describe('a container log (json-file with max-size)', () => {
  it('keeps the last maxBytes, whole lines first, however much was written', () => {
    const log = new ContainerLog(100);
    for (let i = 0; i < 10_000; i++) log.write('stdout', bytes(`line ${i}\n`));
    expect(log.size).toBeLessThanOrEqual(100);
    const kept = text(log);
    expect(kept.endsWith('line 9999\n')).toBe(true);
    expect(kept.startsWith('line ')).toBe(true);
    expect(utf8Length(kept)).toBe(log.size);
  });

  it('keeps a flood without newlines to the byte', () => {
    const log = new ContainerLog(64 * 1024);
    const zeros = new Uint8Array(65536);
    for (let i = 0; i < 200; i++) log.write('stdout', zeros);
    expect(log.size).toBe(64 * 1024);
    expect(text(log).length).toBe(64 * 1024);
  });

  it('decodes each stream on its own: a character split across reads, around the other stream, stays whole', () => {
    const log = new ContainerLog();
    const snowman = bytes('☃');
    const shown = [log.write('stdout', snowman.subarray(0, 1)), log.write('stderr', bytes('err\n')), log.write('stdout', snowman.subarray(1))];
    expect(shown).toEqual(['', 'err\n', '☃']);
    expect(log.read()).toEqual([
      { stream: 'stderr', text: 'err\n' },
      { stream: 'stdout', text: '☃' },
    ]);
  });

  it('never cuts a character in two when dropping old output', () => {
    const log = new ContainerLog(10);
    log.write('stdout', bytes('한국어한국어한국어'));
    const kept = text(log);
    expect(kept).toBe('한국어');
    expect(log.size).toBe(9);
  });

  it('docker logs shows what is kept of a detached container that wrote more', async () => {
    const t = await aSimEngine({ limits: { logBytes: 1000 } });
    await t.run('docker run -d --name flood busybox seq 1 20000');
    expect(await t.run('docker wait flood')).toBe('0\n[exit 0]');
    const shown = await t.run('docker logs flood');
    expect(shown.endsWith('19999\n20000\n[exit 0]')).toBe(true);
    const out = shown.slice(0, -'[exit 0]'.length);
    expect(utf8Length(out)).toBeLessThanOrEqual(1000);
    expect(utf8Length(out)).toBeGreaterThan(900);
    expect(out.split('\n')[0]).toMatch(/^\d+$/);
  });
});
