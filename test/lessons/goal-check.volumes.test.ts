import { describe, expect, it } from 'vitest';
import { checkGoal } from '../../src/lessons/goal-check.js';
import { goalSchema, type Goal } from '../../src/lessons/goal.js';
import { aContainer, aState } from './state.builders.js';

describe('volume goal', () => {
  const writer = aContainer({ name: 'writer', status: 'exited' });
  const other = aContainer({ name: 'other' });

  it('is met by a volume of that name, and with usedBy only while a container of that name holds it', () => {
    const held = aState({ containers: [writer, other], volumes: [{ name: 'notes', anonymous: false, usedBy: [writer.id] }] });
    expect(checkGoal({ kind: 'volume', name: 'notes' }, held)).toBe(true);
    expect(checkGoal({ kind: 'volume', name: 'notes', usedBy: 'writer' }, held)).toBe(true);
    expect(checkGoal({ kind: 'volume', name: 'notes', usedBy: '/writer' }, held)).toBe(true);
    expect(checkGoal({ kind: 'volume', name: 'notes', usedBy: 'other' }, held)).toBe(false);
    expect(checkGoal({ kind: 'volume', name: 'note' }, held)).toBe(false);
  });

  it('is not met with no volumes, or by a snapshot written before volumes (no field)', () => {
    const goal: Goal = { kind: 'volume', name: 'notes' };
    expect(checkGoal(goal, aState({ volumes: [] }))).toBe(false);
    expect(checkGoal(goal, aState())).toBe(false);
    // The container is there, but holds another volume.
    const elsewhere = aState({ containers: [writer], volumes: [{ name: 'notes', anonymous: false, usedBy: [] }] });
    expect(checkGoal({ kind: 'volume', name: 'notes', usedBy: 'writer' }, elsewhere)).toBe(false);
  });

  it('takes a name, and usedBy as a container name', () => {
    expect(goalSchema.safeParse({ kind: 'volume', name: 'notes', usedBy: 'writer' }).success).toBe(true);
    expect(goalSchema.safeParse({ kind: 'volume' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'volume', name: '' }).success).toBe(false);
  });
});
