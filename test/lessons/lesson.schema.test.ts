import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../src/lessons/lesson.schema.js';

const step = { id: 'run', goal: { kind: 'imageExists', ref: 'busybox' }, hint: 'h', solution: ['docker images'] };
const lesson = { id: '02-images', title: 'Images', summary: 's', order: 2, steps: [step] };

describe('lesson schema', () => {
  it('accepts a minimal lesson and defaults setup to nothing', () => {
    expect(lessonSchema.parse(lesson).setup).toEqual([]);
  });

  it('rejects duplicate step ids, ids that are not NN-slug, empty solutions and unknown keys', () => {
    expect(lessonSchema.safeParse({ ...lesson, steps: [step, step] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, id: 'images' }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, steps: [{ ...step, solution: [] }] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, steps: [{ ...step, nearmiss: ['docker ps'] }] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, steps: [{ ...step, goal: { kind: 'containers', count: -1 } }] }).success).toBe(false);
  });
});
