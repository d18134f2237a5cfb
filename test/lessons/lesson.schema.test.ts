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

  it("takes a step's hint as one sentence or as 2–3 graded hints (idea, flag, command), nothing else", () => {
    const graded = (hint: unknown) => lessonSchema.safeParse({ ...lesson, steps: [{ ...step, hint }] }).success;
    expect(graded(['idea', 'flag'])).toBe(true);
    expect(graded(['idea', 'flag', 'command'])).toBe(true);
    expect(graded(['only one'])).toBe(false);
    expect(graded(['a', 'b', 'c', 'd'])).toBe(false);
    expect(graded(['idea', ''])).toBe(false);
    expect(graded('')).toBe(false);
  });

  it("takes a step's Build tag only in a lesson with the editor, and only a tag `docker build -t` takes", () => {
    const withTag = (buildTag: string, editor?: { tag: string }) =>
      lessonSchema.safeParse({ ...lesson, ...(editor ? { editor } : {}), steps: [{ ...step, buildTag }] }).success;
    expect(withTag('app:2', { tag: 'app:1' })).toBe(true);
    expect(withTag('app:2')).toBe(false);
    expect(withTag('App:2', { tag: 'app:1' })).toBe(false);
    expect(withTag('app:2 --no-cache', { tag: 'app:1' })).toBe(false);
  });

  const challenge = {
    task: 'Make hello:2 with two layers.',
    goal: { kind: 'imageLayers', ref: 'hello:2', count: 2 },
    hints: ['idea', 'flag', 'command'],
    solution: ['docker build -t hello:2 .'],
    nearMisses: [{ commands: ['docker build -t hello .'], when: { kind: 'imageExists', ref: 'hello' }, message: 'the tag' }],
  };
  const question = { id: 'q1', question: 'Why?', choices: ['a', 'b'], answer: 1, explain: 'because' };

  it('takes a challenge with graded hints and near misses that say something', () => {
    expect(lessonSchema.safeParse({ ...lesson, challenge }).success).toBe(true);
    expect(lessonSchema.safeParse({ ...lesson, challenge: { ...challenge, hints: ['only one'] } }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, challenge: { ...challenge, nearMisses: [] } }).success).toBe(false);
    expect(
      lessonSchema.safeParse({ ...lesson, challenge: { ...challenge, nearMisses: [{ ...challenge.nearMisses[0], message: '' }] } }).success,
    ).toBe(false);
    const readsFiles = { ...challenge, goal: { kind: 'fileContent', path: 'Dockerfile', includes: 'RUN' } };
    expect(lessonSchema.safeParse({ ...lesson, challenge: readsFiles }).success).toBe(false);
  });

  it('takes a recap and a quiz of 2–3 questions with unique ids and an answer among the choices', () => {
    expect(lessonSchema.safeParse({ ...lesson, recap: ['one point'], quiz: [question, { ...question, id: 'q2' }] }).success).toBe(true);
    expect(lessonSchema.safeParse({ ...lesson, quiz: [question] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, quiz: [question, question] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, quiz: [question, { ...question, id: 'q2', answer: 2 }] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, recap: [] }).success).toBe(false);
  });
});
