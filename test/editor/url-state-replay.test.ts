import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, isBuildCommand, replayPlan } from '../../src/editor/url-state.js';

describe("a playground link's builds", () => {
  const a = [{ path: 'Dockerfile', content: 'FROM busybox\nRUN echo a > /a\n' }];
  const b = [{ path: 'Dockerfile', content: 'FROM busybox\nRUN echo b > /b\n' }];

  it("carries each build's files through the link, and the replay runs each build after its own files", async () => {
    const state = {
      files: b,
      history: ['docker tag busybox x', 'docker build -t my-image .', 'docker images', 'docker build -t my-image .'],
      builds: [
        { index: 1, files: a },
        { index: 3, files: b },
      ],
    };
    const back = await decodeState(await encodeState(state));
    expect(back).toEqual(state);
    expect(replayPlan(back!)).toEqual([
      { commands: ['docker tag busybox x'] },
      { files: a, commands: ['docker build -t my-image .', 'docker images'] },
      { files: b, commands: ['docker build -t my-image .'] },
    ]);
  });

  it('tells a build from other commands', () => {
    expect(['docker build .', 'docker image build -t x .', 'docker buildx build .'].map(isBuildCommand)).toEqual([true, true, true]);
    expect(['docker builder prune', 'docker images', 'docker run build'].map(isBuildCommand)).toEqual([false, false, false]);
  });
});
