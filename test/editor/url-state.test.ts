import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, type PlaygroundState } from '../../src/editor/url-state.js';

const state: PlaygroundState = {
  files: [
    { path: 'Dockerfile', content: 'FROM busybox\nCOPY 안녕.txt /\nRUN echo "a+b/c=d" > /x\n' },
    { path: 'sub/안녕.txt', content: '안녕하세요 👋\n' },
  ],
  history: ['docker build -t app .', "docker run --rm app cat '/안녕.txt'"],
};

describe('playground state in the link', () => {
  it('round-trips files and history through a URL-safe hash', async () => {
    const hash = await encodeState(state);
    expect(hash).toMatch(/^#s=1[A-Za-z0-9_-]+$/);
    expect(await decodeState(hash)).toEqual(state);
    expect(await decodeState(hash.slice(1))).toEqual(state);
  });

  it('compresses: a repetitive Dockerfile makes a short link', async () => {
    const content = 'RUN echo layer >> /log\n'.repeat(200);
    const hash = await encodeState({ files: [{ path: 'Dockerfile', content }], history: [] });
    expect(hash.length).toBeLessThan(content.length / 10);
  });

  it('ignores a hash that is not a state, or is damaged', async () => {
    const hash = await encodeState(state);
    expect(await decodeState('')).toBeUndefined();
    expect(await decodeState('#section-2')).toBeUndefined();
    expect(await decodeState(hash.slice(0, -6))).toBeUndefined();
    expect(await decodeState('#s=1!!!')).toBeUndefined();
  });

  it('refuses paths that leave the build context', async () => {
    await expect(encodeState({ files: [{ path: '../etc/passwd', content: '' }], history: [] })).rejects.toThrow();
    await expect(encodeState({ files: [{ path: '/abs', content: '' }], history: [] })).rejects.toThrow();
  });
});
