import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { annotationText } from '../../src/editor/annotation-text.js';
import { buildAnnotations, buildsFile, type LineAnnotation } from '../../src/editor/build-annotations.js';
import { aSimEngine } from '../engine/support/sim-engine.js';

const labels = {
  'editor.layer': 'layer {id} · {size}',
  'editor.noLayer': 'no layer',
  'editor.cached': 'cached',
  'editor.rebuilt': 'rebuilt',
  'editor.base': 'base image',
  'editor.failed': 'failed: exit code {code}',
  'editor.notRun': 'not run',
};

/** Builds `files` on a fresh simulator (or `into` one) and returns the events and layer sizes. */
async function build(files: Record<string, string>, into?: Awaited<ReturnType<typeof aSimEngine>>) {
  const t = into ?? (await aSimEngine());
  const encoder = new TextEncoder();
  for (const [path, content] of Object.entries(files)) await t.engine.workspace!.write(path, encoder.encode(content));
  const events: EngineEvent[] = [];
  const stop = t.engine.subscribe((e) => events.push(e));
  const out = await t.run('docker build -t app .');
  stop();
  const sizes = new Map((await t.engine.state()).layers.map((l) => [l.diffId, l.size]));
  return { t, out, events, sizeOf: (d: string) => sizes.get(d) };
}

const lines = (list: LineAnnotation[]) => list.map((a) => `${a.line} ${annotationText(a, labels).replace(/[0-9a-f]{12}/, '<id>')}`);

const dockerfile = 'FROM busybox\nENV GREETING=hi\nCOPY hello.txt /hello.txt\nRUN echo built > /built.txt\nCMD ["cat", "/hello.txt"]\n';

describe('annotations from build events', () => {
  it("names each line's layer with its short diffID and size, or says there is none", async () => {
    const { events, sizeOf } = await build({ Dockerfile: dockerfile, 'hello.txt': 'hello\n' });
    const list = buildAnnotations(events, sizeOf);
    expect(lines(list)).toEqual([
      '1 base image',
      '2 no layer · rebuilt',
      '3 layer <id> · 6B · rebuilt',
      '4 layer <id> · 6B · rebuilt',
      '5 no layer · rebuilt',
    ]);
    const copy = list.find((a) => a.line === 3);
    expect(copy).toMatchObject({ kind: 'layer', cached: false, size: 6 });
    expect(sizeOf((copy as { diffId: string }).diffId)).toBe(6);
  });

  it('after an edit to the third instruction, the first two are cached and the rest rebuilt', async () => {
    const first = await build({ Dockerfile: dockerfile, 'hello.txt': 'hello\n' });
    const firstCopy = buildAnnotations(first.events, first.sizeOf).find((a) => a.line === 4);
    const second = await build({ Dockerfile: dockerfile.replace('/built.txt', '/made.txt') }, first.t);
    const list = buildAnnotations(second.events, second.sizeOf);
    expect(list.map((a) => [a.line, a.kind, 'cached' in a ? a.cached : null])).toEqual([
      [1, 'from', false],
      [2, 'empty', true],
      [3, 'layer', true],
      [4, 'layer', false],
      [5, 'empty', false],
    ]);
    // A cache hit names the very layer the first build made.
    const copyFirst = buildAnnotations(first.events, first.sizeOf).find((a) => a.line === 3) as { diffId: string };
    expect((list[2] as { diffId: string }).diffId).toBe(copyFirst.diffId);
    expect((list[3] as { diffId: string }).diffId).not.toBe((firstCopy as { diffId: string }).diffId);
  });

  it('marks a failed RUN with its exit code, and the steps after it as not run', async () => {
    const { events, out } = await build({ Dockerfile: 'FROM busybox\nRUN exit 3\nCMD ["sh"]\n' });
    expect(out).toContain('[exit 1]');
    const list = buildAnnotations(events);
    expect(list[1]).toMatchObject({ kind: 'failed', line: 2, exitCode: 3 });
    expect((list[1] as { message: string }).message).toContain('exit code: 3');
    expect(annotationText(list[1]!, labels)).toBe('failed: exit code 3');
    expect(list.some((a) => a.line === 3)).toBe(false);
  });

  it('annotates only the last build in a stream of several', () => {
    const events: EngineEvent[] = [
      { type: 'build.step.started', buildId: 'a', step: 1, total: 2, instruction: 'FROM busybox', line: 1 },
      { type: 'build.step.done', buildId: 'a', step: 1, diffId: null, emptyLayer: true },
      { type: 'build.step.started', buildId: 'a', step: 2, total: 2, instruction: 'RUN true', line: 7 },
      { type: 'build.step.started', buildId: 'b', step: 1, total: 1, instruction: 'FROM busybox', line: 2 },
      { type: 'build.done', buildId: 'b', imageId: null },
    ];
    expect(buildAnnotations(events).map((a) => [a.line, a.kind])).toEqual([[2, 'running']]);
  });
});

describe('which builds belong on a file', () => {
  it.each([
    ['docker build -t app .', 'Dockerfile', true],
    ['docker image build --tag app ./', 'Dockerfile', true],
    ['docker build -t app -f v2.Dockerfile .', 'Dockerfile', false],
    ['docker build -t app -f v2.Dockerfile .', 'v2.Dockerfile', true],
    ['docker build --file=./v2.Dockerfile .', 'v2.Dockerfile', true],
    ['docker build -t app sub', 'Dockerfile', false],
    ['docker run busybox', 'Dockerfile', false],
    ['docker build -t "unterminated .', 'Dockerfile', false],
  ])('%s builds %s: %s', (line, file, expected) => {
    expect(buildsFile(line, file)).toBe(expected);
  });
});
