import { describe, expect, it } from 'vitest';
import { checkGoal } from '../../src/lessons/goal-check.js';
import { goalSchema, type Goal } from '../../src/lessons/goal.js';
import { lessonSchema } from '../../src/lessons/lesson.schema.js';
import { newlyCompleted } from '../../src/lessons/step-progress.js';
import { anImage, aState } from './state.builders.js';

const dockerfile = 'FROM busybox\nCOPY hello.txt /hello.txt\nCMD ["echo", "hi there"]\n';

describe("fileContent goal: the editor's files", () => {
  it('holds a substring, matches a line-anchored pattern, or both', () => {
    const files = { Dockerfile: dockerfile };
    const state = aState({});
    expect(checkGoal({ kind: 'fileContent', path: 'Dockerfile', includes: 'COPY hello.txt' }, state, files)).toBe(true);
    expect(checkGoal({ kind: 'fileContent', path: 'Dockerfile', includes: 'COPY bye.txt' }, state, files)).toBe(false);
    // `^` is a line start: CMD is the last line, not the first.
    expect(checkGoal({ kind: 'fileContent', path: 'Dockerfile', matches: '^CMD \\["echo"' }, state, files)).toBe(true);
    expect(checkGoal({ kind: 'fileContent', path: 'Dockerfile', matches: '^CMD \\["cat"' }, state, files)).toBe(false);
    expect(checkGoal({ kind: 'fileContent', path: 'Dockerfile', includes: 'FROM', matches: '^RUN ' }, state, files)).toBe(false);
  });

  it('is unmet for a file the editor does not have, and on a page without an editor', () => {
    const goal: Goal = { kind: 'fileContent', path: 'hello.txt', includes: 'hi' };
    expect(checkGoal(goal, aState({}), { Dockerfile: dockerfile })).toBe(false);
    expect(checkGoal(goal, aState({}))).toBe(false);
    // An own-property lookup: `constructor` is no file.
    expect(checkGoal({ kind: 'fileContent', path: 'constructor', matches: 'function' }, aState({}), {})).toBe(false);
  });

  it('combines with state goals: the edit and the build', () => {
    const goal: Goal = {
      kind: 'all',
      goals: [
        { kind: 'fileContent', path: 'Dockerfile', matches: '^CMD \\["echo"' },
        { kind: 'imageExists', ref: 'greet:3' },
      ],
    };
    const built = aState({ images: [anImage({ tags: ['greet:3'] })] });
    expect(checkGoal(goal, built, { Dockerfile: dockerfile })).toBe(true);
    expect(checkGoal(goal, built, { Dockerfile: dockerfile.replace('echo', 'cat') })).toBe(false);
    expect(checkGoal(goal, aState({}), { Dockerfile: dockerfile })).toBe(false);
    expect(newlyCompleted([{ id: 'edit', goal }], new Set(), built, { Dockerfile: dockerfile })).toEqual(['edit']);
    expect(newlyCompleted([{ id: 'edit', goal }], new Set(), built)).toEqual([]);
  });

  it('is validated: a context path, `includes` or `matches`, a pattern that compiles', () => {
    expect(goalSchema.safeParse({ kind: 'fileContent', path: 'v1/app.txt', includes: 'x' }).success).toBe(true);
    expect(goalSchema.safeParse({ kind: 'fileContent', path: 'Dockerfile' }).success).toBe(false);
    expect(goalSchema.safeParse({ kind: 'fileContent', path: 'Dockerfile', matches: '(' }).success).toBe(false);
    for (const path of ['/etc/passwd', '../Dockerfile', 'a/./b', 'a/../b', ''])
      expect(goalSchema.safeParse({ kind: 'fileContent', path, includes: 'x' }).success, path).toBe(false);
  });
});

describe("lesson schema: steps that preset and edit the editor's files", () => {
  const step = {
    id: 'edit-cmd',
    goal: { kind: 'fileContent', path: 'Dockerfile', includes: 'echo' },
    hint: 'h',
    files: { Dockerfile: 'FROM busybox\n' },
    solutionFiles: { Dockerfile: 'FROM busybox\nCMD ["echo", "hi"]\n' },
    solution: ['docker build -t greet:3 .'],
    nearMissFiles: { Dockerfile: 'FROM busybox\nCMD ["cat"]\n' },
  };
  const lesson = { id: '05-images', title: 'Images', summary: 's', order: 5, editor: { tag: 'greet:3' }, steps: [step] };

  it('accepts files, solutionFiles and nearMissFiles on a lesson with an editor', () => {
    const parsed = lessonSchema.parse(lesson);
    expect(parsed.editor).toEqual({ tag: 'greet:3' });
    expect(parsed.steps[0]!.files).toEqual({ Dockerfile: 'FROM busybox\n' });
  });

  it('refuses them, and a fileContent goal, on a lesson without an editor', () => {
    const { editor: _, ...plain } = lesson;
    const result = lessonSchema.safeParse(plain);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'steps.0.files',
      'steps.0.solutionFiles',
      'steps.0.nearMissFiles',
      'steps.0.goal',
    ]);
    const nested = { ...step, files: undefined, solutionFiles: undefined, nearMissFiles: undefined, goal: { kind: 'not', goal: step.goal } };
    expect(lessonSchema.safeParse({ ...plain, steps: [nested] }).success).toBe(false);
  });

  it('refuses empty file maps, paths outside the context and a tag Docker would refuse', () => {
    expect(lessonSchema.safeParse({ ...lesson, steps: [{ ...step, files: {} }] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, steps: [{ ...step, files: { '../x': '' } }] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, editor: { tag: 'Greet:3' } }).success).toBe(false);
  });
});
