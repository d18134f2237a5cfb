import { describe, expect, it } from 'vitest';
import { isIgnored, parseDockerignore } from '../../../src/engine/builder/dockerignore.js';

describe('.dockerignore', () => {
  const patterns = parseDockerignore('# comment\n*.log\n/build\n**/secret.txt\n!keep.log\ntmp?\n');

  it('matches Go filepath.Match patterns, ** and directories', () => {
    expect(isIgnored('app.log', patterns)).toBe(true);
    expect(isIgnored('sub/app.log', patterns)).toBe(false);
    expect(isIgnored('build/out/x.js', patterns)).toBe(true);
    expect(isIgnored('a/b/secret.txt', patterns)).toBe(true);
    expect(isIgnored('secret.txt', patterns)).toBe(true);
    expect(isIgnored('tmp1', patterns)).toBe(true);
    expect(isIgnored('tmp12', patterns)).toBe(false);
    expect(isIgnored('src/main.ts', patterns)).toBe(false);
  });

  it('lets a later ! pattern re-include a file', () => {
    expect(isIgnored('keep.log', patterns)).toBe(false);
  });
});
