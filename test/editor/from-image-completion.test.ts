import { describe, expect, it } from 'vitest';
import { baseImageCandidates, fromImageSlot } from '../../src/editor/from-image-completion.js';
import { languageOf } from '../../src/editor/file-language.js';

/** The slot at the `|` in `text`. */
function slotAt(text: string) {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  const character = lines[line]!.indexOf('|');
  return fromImageSlot(text.replace('|', ''), { line, character });
}

describe("FROM completes from the session's images", () => {
  it('finds the image being typed after FROM, its flags skipped', () => {
    expect(slotAt('FROM busy|')).toEqual({ line: 0, start: 5, end: 9, prefix: 'busy' });
    expect(slotAt('RUN true\nfrom --platform=linux/amd64 busybox:la|test AS base')).toEqual({ line: 1, start: 28, end: 42, prefix: 'busybox:la' });
    expect(slotAt('FROM |')).toEqual({ line: 0, start: 5, end: 5, prefix: '' });
  });

  it('stays out of the keyword, the stage name and other instructions', () => {
    expect(slotAt('FR|OM busybox')).toBeUndefined();
    expect(slotAt('FROM busybox AS b|')).toBeUndefined();
    expect(slotAt('FROM busybox\nRUN ech|o')).toBeUndefined();
  });

  it('offers every local tag and scratch, filtered by what is typed', () => {
    const images = [{ repoTags: ['busybox:latest'] }, { repoTags: ['app:1', 'app:latest'] }, { repoTags: [] }];
    expect(baseImageCandidates(images, '')).toEqual(['app:1', 'app:latest', 'busybox:latest', 'scratch']);
    expect(baseImageCandidates(images, 'app')).toEqual(['app:1', 'app:latest']);
  });

  it('treats Dockerfile, Dockerfile.* and *.Dockerfile as Dockerfiles', () => {
    expect(['Dockerfile', 'v2.Dockerfile', 'Dockerfile.dev', 'sub/Dockerfile', 'hello.txt'].map(languageOf)).toEqual([
      'dockerfile',
      'dockerfile',
      'dockerfile',
      'dockerfile',
      'plaintext',
    ]);
  });
});
