import { describe, expect, it } from 'vitest';
import { presetFiles } from '../../src/lessons/preset-files.js';

describe("a step's preset files in the editor", () => {
  it('replaces the files it names, keeps the others in place, and adds new ones at the end', () => {
    const current = [
      { path: 'Dockerfile', content: 'FROM busybox\n' },
      { path: 'hello.txt', content: 'my edit\n' },
    ];
    expect(presetFiles(current, { Dockerfile: 'FROM busybox\nCMD ["cat"]\n', 'app/main.sh': 'echo hi\n' })).toEqual([
      { path: 'Dockerfile', content: 'FROM busybox\nCMD ["cat"]\n' },
      { path: 'hello.txt', content: 'my edit\n' },
      { path: 'app/main.sh', content: 'echo hi\n' },
    ]);
    expect(current[0]!.content).toBe('FROM busybox\n');
  });
});
