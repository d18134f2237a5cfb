import { describe, expect, it } from 'vitest';
import { checkGoal, inCount } from '../../src/lessons/goal-check.js';
import { goalSchema, type Goal } from '../../src/lessons/goal.js';
import { aContainer, anImage, aState } from './state.builders.js';

const busybox = anImage({ tags: ['busybox:latest'] });
const hello = anImage({ tags: ['hello:1', 'hello:latest'], layers: 3 });

describe('goal checker', () => {
  it('counts containers of an image, by what the tag names now', () => {
    const goal: Goal = { kind: 'containers', image: 'busybox', count: { min: 2 } };
    const one = aState({ images: [busybox], containers: [aContainer({ image: busybox })] });
    const two = aState({
      images: [busybox],
      containers: [aContainer({ image: busybox }), aContainer({ image: busybox, imageName: 'busybox:latest' })],
    });
    const otherImage = aState({ images: [busybox, hello], containers: [aContainer({ image: busybox }), aContainer({ image: hello })] });
    expect(checkGoal(goal, one)).toBe(false);
    expect(checkGoal(goal, two)).toBe(true);
    expect(checkGoal(goal, otherImage)).toBe(false);
  });

  it('defaults to "at least one" and filters by status, exit code and command', () => {
    const state = aState({
      images: [busybox],
      containers: [
        aContainer({ image: busybox, status: 'exited', exitCode: 127, command: 'unam -r' }),
        aContainer({ image: busybox, status: 'created', command: 'uname -r' }),
      ],
    });
    expect(checkGoal({ kind: 'containers', command: 'uname', status: 'exited', exitCode: 0 }, state)).toBe(false);
    expect(checkGoal({ kind: 'containers', command: 'uname' }, state)).toBe(true);
    expect(checkGoal({ kind: 'containers', status: 'exited', exitCode: 127 }, state)).toBe(true);
    expect(checkGoal({ kind: 'containers', count: 0, status: 'running' }, state)).toBe(true);
  });

  it('falls back to the typed image name when no image carries the tag', () => {
    const state = aState({ containers: [aContainer({ imageName: 'alpine' })] });
    expect(checkGoal({ kind: 'containers', image: 'alpine:latest' }, state)).toBe(true);
    expect(checkGoal({ kind: 'containers', image: 'busybox' }, state)).toBe(false);
  });

  it("checks a named container's status, with or without Docker's leading slash", () => {
    const state = aState({ containers: [aContainer({ name: '/web', status: 'exited', exitCode: 137 })] });
    expect(checkGoal({ kind: 'containerStatus', name: 'web', status: 'exited' }, state)).toBe(true);
    expect(checkGoal({ kind: 'containerStatus', name: 'web', status: 'running' }, state)).toBe(false);
    expect(checkGoal({ kind: 'containerStatus', name: 'db', status: 'exited' }, state)).toBe(false);
  });

  it('finds a file in a container layer, not a deletion of it, and only in the named container', () => {
    const web = aContainer({ name: 'web', upper: [{ path: '/hello.txt', kind: 'file', size: 3 }] });
    const other = aContainer({ name: 'other', upper: [{ path: 'etc/motd', kind: 'whiteout', size: 0 }] });
    const state = aState({ containers: [web, other] });
    expect(checkGoal({ kind: 'containerFile', path: '/hello.txt', layer: 'upper' }, state)).toBe(true);
    expect(checkGoal({ kind: 'containerFile', path: '/hello.txt', layer: 'upper', container: 'web' }, state)).toBe(true);
    expect(checkGoal({ kind: 'containerFile', path: '/hello.txt', layer: 'upper', container: 'other' }, state)).toBe(false);
    expect(checkGoal({ kind: 'containerFile', path: '/etc/motd', layer: 'upper' }, state)).toBe(false);
    expect(checkGoal({ kind: 'containerFile', path: '/etc/motd', layer: 'upper', entry: 'whiteout' }, state)).toBe(true);
  });

  it("reads docker diff's letters", () => {
    const state = aState({
      containers: [
        aContainer({
          name: 'web',
          changes: [
            { kind: 'C', path: '/etc' },
            { kind: 'D', path: '/etc/motd' },
          ],
        }),
      ],
    });
    expect(checkGoal({ kind: 'containerChange', path: '/etc/motd', change: 'D' }, state)).toBe(true);
    expect(checkGoal({ kind: 'containerChange', path: '/etc/motd', change: 'A' }, state)).toBe(false);
    expect(checkGoal({ kind: 'containerChange', path: '/etc/', container: 'web' }, state)).toBe(true);
  });

  it('resolves images by tag (`:latest` implied), docker.io name, full ID and unique ID prefix', () => {
    const state = aState({ images: [busybox, hello] });
    expect(checkGoal({ kind: 'imageExists', ref: 'hello:1' }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageExists', ref: 'hello' }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageExists', ref: 'hello:2' }, state)).toBe(false);
    expect(checkGoal({ kind: 'imageExists', ref: 'docker.io/library/busybox' }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageExists', ref: busybox.id }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageExists', ref: busybox.id.slice(7, 19) }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageExists', ref: 'sha256:' }, state)).toBe(false);
  });

  it("counts an image's filesystem layers", () => {
    const state = aState({ images: [hello] });
    expect(checkGoal({ kind: 'imageLayers', ref: 'hello:1', count: 3 }, state)).toBe(true);
    expect(checkGoal({ kind: 'imageLayers', ref: 'hello:1', count: { min: 4 } }, state)).toBe(false);
    expect(checkGoal({ kind: 'imageLayers', ref: 'nope', count: { min: 0 } }, state)).toBe(false);
  });

  it('composes with all, any and not', () => {
    const state = aState({ images: [busybox], containers: [aContainer({ name: 'web', image: busybox, status: 'running' })] });
    const running: Goal = { kind: 'containerStatus', name: 'web', status: 'running' };
    const tagged: Goal = { kind: 'imageExists', ref: 'hello:1' };
    expect(checkGoal({ kind: 'all', goals: [running, tagged] }, state)).toBe(false);
    expect(checkGoal({ kind: 'any', goals: [running, tagged] }, state)).toBe(true);
    expect(checkGoal({ kind: 'not', goal: tagged }, state)).toBe(true);
    expect(checkGoal({ kind: 'all', goals: [running, { kind: 'not', goal: tagged }] }, state)).toBe(true);
  });

  it('treats counts as exact numbers or inclusive ranges', () => {
    expect([inCount(2, 2), inCount(3, 2), inCount(2, { min: 2, max: 2 }), inCount(3, { max: 2 }), inCount(0, {})]).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});

describe('goal schema', () => {
  it('accepts nested goals and rejects unknown kinds, fields and relative paths', () => {
    expect(goalSchema.safeParse({ kind: 'all', goals: [{ kind: 'not', goal: { kind: 'imageExists', ref: 'x' } }] }).success).toBe(true);
    expect(goalSchema.safeParse({ kind: 'imageExist', ref: 'x' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'containers', imag: 'busybox' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'containerFile', path: 'hello.txt', layer: 'upper' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'any', goals: [] }).success).toBe(false);
  });
});
