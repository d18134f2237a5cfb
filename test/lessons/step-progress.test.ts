import { describe, expect, it } from 'vitest';
import { newlyCompleted } from '../../src/lessons/step-progress.js';
import type { Goal } from '../../src/lessons/goal.js';
import { aContainer, aState } from './state.builders.js';

const steps: { id: string; goal: Goal }[] = [
  { id: 'run', goal: { kind: 'containerStatus', name: 'web', status: 'running' } },
  { id: 'write', goal: { kind: 'containerFile', container: 'web', path: '/hello.txt', layer: 'upper' } },
  { id: 'second', goal: { kind: 'containers', status: 'running', count: { min: 2 } } },
];

describe('step progress', () => {
  const running = aContainer({ name: 'web', status: 'running' });
  const withFile = aContainer({ name: 'web', status: 'running', upper: [{ path: '/hello.txt', kind: 'file', size: 3 }] });

  it('completes the current step, and the next when the same state meets it too', () => {
    expect(newlyCompleted(steps, new Set(), aState())).toEqual([]);
    expect(newlyCompleted(steps, new Set(), aState({ containers: [running] }))).toEqual(['run']);
    expect(newlyCompleted(steps, new Set(), aState({ containers: [withFile] }))).toEqual(['run', 'write']);
  });

  it('never skips an unmet step, even when a later goal is met', () => {
    const twoRunningNoFile = aState({ containers: [running, aContainer({ status: 'running' })] });
    expect(newlyCompleted(steps, new Set(['run']), twoRunningNoFile)).toEqual([]);
  });

  it('leaves steps done before alone', () => {
    expect(newlyCompleted(steps, new Set(['run', 'write']), aState({ containers: [withFile, aContainer({ status: 'running' })] }))).toEqual([
      'second',
    ]);
    expect(newlyCompleted(steps, new Set(['run', 'write', 'second']), aState())).toEqual([]);
  });
});
