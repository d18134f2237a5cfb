import { describe, expect, it } from 'vitest';
import { lessonSchema } from '../../src/lessons/lesson.schema.js';
import { lessonFiles } from './lesson-files.js';

/**
 * The commands a step's text shows (its ```sh blocks) are the ones its replay runs: a
 * learner who copies a shown command sees what the step promises, on either backend,
 * because the replay tests (replay.test.ts on the simulator, replay.linux.test.ts on runc)
 * run exactly these. A block meant as an example only says so: ```sh illustrative.
 * (Lessons 04 and 05 showed `-f '{json …}'`, which prints the literal text, while their
 * solutions had `{{json …}}` — and nothing noticed.)
 */
const STEP = /<Step id="([^"]+)">([\s\S]*?)<\/Step>/g;
const SH_BLOCK = /^```sh([^\n]*)\n([\s\S]*?)^```/gm;

function shownCommands(body: string): { step: string; command: string }[] {
  const out: { step: string; command: string }[] = [];
  for (const [, step, text] of body.matchAll(STEP)) {
    for (const [, info, code] of text!.matchAll(SH_BLOCK)) {
      if (info!.trim().split(/\s+/).includes('illustrative')) continue;
      for (const line of code!.split('\n'))
        if (line.trim() !== '' && !line.trimStart().startsWith('#')) out.push({ step: step!, command: line.trim() });
    }
  }
  return out;
}

describe('lesson text: every command shown in a step is one its replay runs', () => {
  for (const file of lessonFiles()) {
    it(`${file.locale}/${file.folder}`, () => {
      const lesson = lessonSchema.parse(file.frontmatter);
      const solutions = new Map(lesson.steps.map((s) => [s.id, new Set(s.solution)]));
      const shown = shownCommands(file.body);
      const notRun = shown.filter(({ step, command }) => !solutions.get(step)?.has(command));
      expect(notRun).toEqual([]);
    });
  }

  it('finds the shown commands at all (the pattern reads the lessons as they are written)', () => {
    const all = lessonFiles().flatMap((f) => shownCommands(f.body));
    expect(all.length).toBeGreaterThan(60);
    expect(shownCommands('<Step id="a">\n```sh\ndocker ps\n```\n</Step>\n<Step id="b">\n```sh illustrative\ndocker rm x\n```\n</Step>')).toEqual([
      { step: 'a', command: 'docker ps' },
    ]);
  });
});
