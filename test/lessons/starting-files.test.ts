import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { readStartingFiles } from '../../src/lessons/read-starting-files.js';
import { lessonStartingFiles } from './lesson-workspace.js';

const BUILD_CACHE = 'content/lessons/en/08-build-cache/index.mdx';

describe("a lesson's starting files", () => {
  it('are every file under files/, nested ones by their build-context path, sorted', () => {
    expect(readStartingFiles(BUILD_CACHE).map((f) => f.path)).toEqual([
      'fast.Dockerfile',
      'slow.Dockerfile',
      'v1/app.txt',
      'v1/deps.txt',
      'v2/app.txt',
      'v2/deps.txt',
    ]);
  });

  it('come out of the page island byte for byte', () => {
    const files = lessonStartingFiles(BUILD_CACHE);
    expect(files).toHaveLength(6);
    for (const f of files) expect(Buffer.from(f.bytes)).toEqual(readFileSync(`content/lessons/en/08-build-cache/files/${f.path}`));
  });

  it('are none for a lesson without files/, so its page carries no island', () => {
    expect(readStartingFiles('content/lessons/ko/01-what-is-docker/index.mdx')).toEqual([]);
  });

  it("are the simulator's build context: docker build . reads them", async () => {
    const engine = await createSimEngine({ workspace: new MemoryWorkspace(lessonStartingFiles('content/lessons/ko/05-images/index.mdx')) });
    const built = await engine.exec('docker build -t hello:1 .');
    expect(built.exitCode, built.stderr).toBe(0);
    expect((await engine.exec('docker run --rm hello:1 cat /hello.txt')).stdout).toBe(
      readFileSync('content/lessons/ko/05-images/files/hello.txt', 'utf8'),
    );
    await engine.dispose();
  });
});

describe('the memory workspace', () => {
  it('lists files below a dir with their modes and sizes, and keeps a mode across writes', async () => {
    const ws = new MemoryWorkspace([
      { path: 'b/run.sh', bytes: 'echo hi\n', mode: 0o755 },
      { path: 'a.txt', bytes: new Uint8Array([1, 2]) },
    ]);
    await ws.write('b/run.sh', new TextEncoder().encode('echo bye\n'));
    expect(await ws.list()).toEqual([
      { path: 'a.txt', kind: 'file', mode: 0o644, size: 2 },
      { path: 'b/run.sh', kind: 'file', mode: 0o755, size: 9 },
    ]);
    expect((await ws.list('b/')).map((e) => e.path)).toEqual(['b/run.sh']);
    expect(await ws.read('missing')).toBeUndefined();
  });
});
