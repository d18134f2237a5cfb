import { describe, expect, it } from 'vitest';
import type { Goal } from '../../src/lessons/goal.js';
import { lessonSchema } from '../../src/lessons/lesson.schema.js';
import { stepTitles } from '../../src/lessons/step-titles.js';
import { lessonFiles, lessons } from './lesson-files.js';

const files = lessonFiles();

describe('lesson content', () => {
  it('has lessons', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files.map((f) => [f.path, f] as const))('%s: front matter fits the schema, id is the folder name', (_, file) => {
    const parsed = lessonSchema.safeParse(file.frontmatter);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(parsed.data?.id).toBe(file.folder);
  });

  it.each(files.map((f) => [f.path, f] as const))('%s: every step has its <Step id> with a heading in the body, in order', (_, file) => {
    const lesson = lessonSchema.parse(file.frontmatter);
    const titles = stepTitles(file.body);
    expect([...titles.keys()]).toEqual(lesson.steps.map((s) => s.id));
    for (const [id, title] of titles) expect(title, id).not.toBe(id);
  });

  it('ko and en lesson trees are identical: same folders, orders, step ids, goals, commands and editor edits', () => {
    const shape = (locale: 'ko' | 'en') =>
      lessons(locale).map(({ id, order, setup, editor, steps, challenge, quiz, recap }) => ({
        id,
        order,
        setup,
        editor,
        // A challenge's and a quiz's words are the locale's; what is checked, run and right is not.
        challenge: challenge && {
          goal: challenge.goal,
          hints: challenge.hints.length,
          solution: challenge.solution,
          nearMisses: challenge.nearMisses.map(({ commands, when }) => ({ commands, when })),
        },
        quiz: quiz?.map(({ id, choices, answer }) => ({ id, choices: choices.length, answer })),
        recap: recap?.length,
        // A preset's words (its comments) are the locale's; which files it sets is not.
        steps: steps.map(({ id, goal, solution, nearMiss, files, solutionFiles, nearMissFiles, predict, buildTag }) => ({
          id,
          buildTag,
          predict: predict && { choices: predict.choices?.length, answer: predict.answer, accept: predict.accept, observed: predict.observed },
          goal,
          solution,
          nearMiss,
          files: files && Object.keys(files),
          solutionFiles,
          nearMissFiles,
        })),
      }));
    expect(shape('en')).toEqual(shape('ko'));
  });

  // Issue 16: every lesson asks the learner to think — a guess before a run, a challenge with only its goal stated, a quiz.
  it('every lesson has a challenge, a recap, a quiz and at least one prediction', () => {
    for (const lesson of lessons('en')) {
      expect(lesson.challenge, lesson.id).toBeDefined();
      expect(lesson.recap?.length, lesson.id).toBeGreaterThan(0);
      expect(lesson.quiz?.length, lesson.id).toBeGreaterThanOrEqual(2);
      expect(lesson.steps.filter((s) => s.predict).length, lesson.id).toBeGreaterThan(0);
    }
  });

  it('a challenge states its goal, not the way: its task names no command of its solution but the ones it asks to look with', () => {
    const looks = (goal: Goal): string[] =>
      goal.kind === 'ran' ? [goal.command] : goal.kind === 'all' || goal.kind === 'any' ? goal.goals.flatMap(looks) : [];
    for (const file of files) {
      const { challenge } = lessonSchema.parse(file.frontmatter);
      if (!challenge) continue;
      const way = challenge.solution.filter((command) => !looks(challenge.goal).some((look) => command.startsWith(look)));
      expect(way.length, file.path).toBeGreaterThan(0);
      for (const command of way) expect(challenge.task, file.path).not.toContain(command);
    }
  });

  // Issue 16: the course ends with a capstone in the playground — one task whose steps state only their goals.
  it('the last lesson is the capstone: its steps show no command, each has graded hints, and it uses the editor, a volume and the registry', () => {
    for (const locale of ['ko', 'en'] as const) {
      const course = [...lessons(locale)].sort((a, b) => a.order - b.order);
      const capstone = course.at(-1)!;
      expect(capstone.id, locale).toBe('14-capstone');
      expect(capstone.editor, locale).toBeDefined();
      const file = files.find((f) => f.locale === locale && f.folder === capstone.id)!;
      expect(file.body, `${locale}: a runnable block hands over the command`).not.toMatch(/```sh(?! illustrative)/);
      for (const step of capstone.steps) expect(Array.isArray(step.hint) && step.hint.length, `${locale}/${step.id}`).toBe(3);
      const commands = capstone.steps.flatMap((s) => s.solution).join('\n');
      for (const uses of [/^docker build /m, /-v book:\/data/, /^docker push localhost:5000\//m]) expect(commands, locale).toMatch(uses);
    }
  });

  it('orders are unique within a locale', () => {
    for (const locale of ['ko', 'en'] as const) {
      const orders = lessons(locale).map((l) => l.order);
      expect(new Set(orders).size).toBe(orders.length);
    }
  });

  it('runnable code blocks hold docker commands only', () => {
    for (const file of files) {
      for (const block of file.body.matchAll(/```sh\n([\s\S]*?)```/g)) {
        for (const line of block[1]!.split('\n').filter((l) => l.trim())) expect(line, file.path).toMatch(/^docker /);
      }
    }
  });

  it('Korean lessons use 해요체, not 합니다체', () => {
    for (const file of files.filter((f) => f.locale === 'ko')) {
      const prose = file.body.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
      expect(prose, file.path).not.toMatch(/(습니다|합니다|입니다)[.!?]/);
      const lesson = lessonSchema.parse(file.frontmatter);
      for (const step of lesson.steps) for (const hint of [step.hint].flat()) expect(hint).not.toMatch(/(습니다|합니다|입니다)[.!?]/);
      const { challenge, quiz = [], recap = [] } = lesson;
      const words = [
        ...lesson.steps.flatMap((s) => (s.predict ? [s.predict.question, s.predict.explain, ...(s.predict.choices ?? [])] : [])),
        ...(challenge ? [challenge.task, ...challenge.hints, ...challenge.nearMisses.map((m) => m.message)] : []),
        ...quiz.flatMap((q) => [q.question, q.explain, ...q.choices]),
        ...recap,
      ];
      for (const text of words) expect(text, file.path).not.toMatch(/(습니다|합니다|입니다)[.!?]/);
    }
  });
});
