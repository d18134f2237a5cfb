import { describe, expect, it } from 'vitest';
import { CommandLineError } from '../../src/engine/cli/command-line-errors.js';
import { builtinCommands, commandTable } from '../../src/engine/cli/commands/index.js';
import { parseCommandLine } from '../../src/engine/cli/parse-command.js';
import { isIllustrative } from '../../src/lessons/illustrative-code.js';
import { lessonSchema } from '../../src/lessons/lesson.schema.js';
import { lessonFiles } from './lesson-files.js';

/**
 * The commands a step's text shows are the ones its replay runs: a learner who copies a
 * shown command sees what the step promises, on either backend, because the replay tests
 * (replay.test.ts on the simulator, replay.linux.test.ts on runc) run exactly these, and
 * there every `--format` must print more than itself (replay.ts). Shown means:
 * - every line of a ```sh block (the blocks that get a run button, CodeBlock.astro), unless
 *   the block says ```sh illustrative (no run button: an example only);
 * - an inline `docker …` span that is a whole command, one the engine's parse takes
 *   (`docker ps -a`, `docker exec web2 ls /`) — a learner runs it. A command named without
 *   its operands (`docker stop`, `docker run -d`) is a mention and is not checked.
 * (Lessons 04 and 05 showed `-f '{json …}'`, which prints the literal text, while their
 * solutions had `{{json …}}` — and nothing noticed.)
 */
const STEP = /<Step id="([^"]+)">([\s\S]*?)<\/Step>/g;
const FENCE = /^```([^\n]*)\n([\s\S]*?)^```/gm;
const INLINE = /`(docker [^`\n]+)`/g;
const COMMANDS = commandTable(builtinCommands);

/** Whether the engine parses `line` as a command it would run (not a help text, not a refusal). */
function wholeCommand(line: string): boolean {
  try {
    return parseCommandLine(line, COMMANDS).kind === 'command';
  } catch (err) {
    if (err instanceof CommandLineError) return false;
    throw err;
  }
}

function shownCommands(body: string): { step: string; command: string }[] {
  const out: { step: string; command: string }[] = [];
  for (const [, step, text] of body.matchAll(STEP)) {
    for (const [, info, code] of text!.matchAll(FENCE)) {
      const [language, meta] = /^(\S*)(.*)$/.exec(info!.trim())!.slice(1);
      if (language !== 'sh' || isIllustrative(meta)) continue;
      for (const line of code!.split('\n'))
        if (line.trim() !== '' && !line.trimStart().startsWith('#')) out.push({ step: step!, command: line.trim() });
    }
    for (const [, span] of text!.replace(FENCE, '').matchAll(INLINE)) if (wholeCommand(span!)) out.push({ step: step!, command: span!.trim() });
  }
  return out;
}

describe('lesson text: every command shown in a step is one its replay runs', () => {
  for (const file of lessonFiles()) {
    it(`${file.locale}/${file.folder}`, () => {
      const lesson = lessonSchema.parse(file.frontmatter);
      const solutions = new Map(lesson.steps.map((s) => [s.id, new Set([...lesson.setup, ...s.solution])]));
      const shown = shownCommands(file.body);
      const notRun = shown.filter(({ step, command }) => !solutions.get(step)?.has(command));
      expect(notRun).toEqual([]);
    });
  }

  it('finds the shown commands at all (the patterns read the lessons as they are written)', () => {
    const all = lessonFiles().flatMap((f) => shownCommands(f.body));
    expect(all.length).toBeGreaterThan(100);
    expect(
      shownCommands(
        [
          '<Step id="a">',
          '```sh',
          'docker ps',
          '```',
          'Then `docker ps -a` lists it; `docker stop` and `docker run -d` only name commands.',
          '</Step>',
          '<Step id="b">',
          '```sh illustrative',
          'docker rm x',
          '```',
          '```text',
          'docker rm y',
          '```',
          '</Step>',
        ].join('\n'),
      ),
    ).toEqual([
      { step: 'a', command: 'docker ps' },
      { step: 'a', command: 'docker ps -a' },
    ]);
  });
});
