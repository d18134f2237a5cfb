import { expect } from 'vitest';
import { CommandLineError } from '../../src/engine/cli/command-line-errors.js';
import { builtinCommands, commandTable } from '../../src/engine/cli/commands/index.js';
import { str } from '../../src/engine/cli/flags.js';
import { parseCommandLine } from '../../src/engine/cli/parse-command.js';
import type { Engine } from '../../src/engine/engine.js';
import { checkGoal } from '../../src/lessons/goal-check.js';
import type { Goal } from '../../src/lessons/goal.js';
import type { Challenge, Lesson, Step } from '../../src/lessons/lesson.schema.js';
import { lessonStartingFiles } from './lesson-workspace.js';

export type MakeEngine = () => Engine | Promise<Engine>;

/** A learner on one engine: what the terminal printed and what the page's editor holds. */
interface Learner {
  engine: Engine;
  files: Record<string, string>;
  transcript: string;
  /** The commands that succeeded since the step began, as the page keeps them for `ran` goals. */
  ran: string[];
}

const COMMANDS = commandTable(builtinCommands);

/** A command's `--format`/`-f` template, as the engine parses the line; undefined if it has none. */
function formatOf(command: string): string | undefined {
  try {
    const parsed = parseCommandLine(command, COMMANDS);
    return parsed.kind === 'command' ? str(parsed, 'format') : undefined;
  } catch (err) {
    if (err instanceof CommandLineError) return undefined;
    throw err;
  }
}

/** Runs `commands`, returning what they printed (stdout and stderr). */
async function run(learner: Learner, commands: string[]): Promise<string> {
  let printed = '';
  for (const command of commands) {
    const { stdout, stderr, exitCode } = await learner.engine.exec(command);
    if (exitCode === 0) learner.ran.push(command);
    printed += stdout + stderr;
    learner.transcript += `$ ${command}\n${stdout}${stderr}[exit ${exitCode}]\n`;
    // Go's text/template prints text outside {{ }} as it is: `-f '{json .RootFS.Layers}'`
    // succeeds and shows the learner nothing but the format (lessons 04 and 05 once did).
    const format = formatOf(command);
    if (format !== undefined)
      expect(stdout.trimEnd(), `\`${command}\` printed its own --format: a template needs {{ }}\n${learner.transcript}`).not.toBe(format.trimEnd());
  }
  return printed;
}

/**
 * Files put in the editor (a step's preset, or the learner's edit), written to the build
 * context as the page does (the preset at once, an edit by the Build button).
 */
async function edit(learner: Learner, files: Record<string, string> | undefined, why: string): Promise<void> {
  for (const [path, content] of Object.entries(files ?? {})) {
    learner.files[path] = content;
    await learner.engine.workspace!.write(path, new TextEncoder().encode(content));
    learner.transcript += `# editor (${why}): ${path}\n${content}\n`;
  }
}

/** The steps before `step` as the learner did them: the preset, the edits, the commands. */
async function solve(learner: Learner, step: Step): Promise<void> {
  learner.ran = [];
  await edit(learner, step.files, 'preset');
  await edit(learner, step.solutionFiles, 'edit');
  await run(learner, step.solution);
}

async function aLearner(lesson: Lesson & { path: string }, makeEngine: MakeEngine): Promise<Learner> {
  // The page's editor starts with the lesson's files/, as text.
  const files = Object.fromEntries(lessonStartingFiles(lesson.path).map((f) => [f.path, new TextDecoder().decode(f.bytes)]));
  const learner = { engine: await makeEngine(), files, transcript: '', ran: [] };
  await run(learner, lesson.setup);
  return learner;
}

const holds = async (learner: Learner, goal: Goal) => checkGoal(goal, await learner.engine.state(), learner.files, learner.ran);
const met = async (learner: Learner, step: Step) => holds(learner, step.goal);

/**
 * Replays a lesson as a learner would (STYLE.md principle 7), on any backend: setup,
 * then each step's preset files, edits and solution; every goal must be unmet before its
 * step (its files preset) and met after. Each near-miss (edits and commands) runs on a
 * fresh engine after the earlier steps and must leave its goal unmet. The transcript,
 * editor files included, is in every failure message.
 */
export async function replayLesson(lesson: Lesson & { path: string }, makeEngine: MakeEngine): Promise<void> {
  const learner = await aLearner(lesson, makeEngine);
  try {
    for (const step of lesson.steps) {
      learner.ran = [];
      await edit(learner, step.files, 'preset');
      expect(await met(learner, step), `${lesson.id}/${step.id}: goal already met before the step\n${learner.transcript}`).toBe(false);
      await edit(learner, step.solutionFiles, 'edit');
      const printed = await run(learner, step.solution);
      expect(await met(learner, step), `${lesson.id}/${step.id}: solution does not reach the goal\n${learner.transcript}`).toBe(true);
      // The page shows the prediction's answer as what happened: the run must show it too.
      if (step.predict)
        expect(printed, `${lesson.id}/${step.id}: the prediction's answer is not in what the solution printed\n${learner.transcript}`).toContain(
          step.predict.observed,
        );
    }
    if (lesson.challenge) await replayChallenge(lesson, lesson.challenge, learner);
  } finally {
    await learner.engine.dispose();
  }
  for (const [i, step] of lesson.steps.entries()) {
    if (!step.nearMiss && !step.nearMissFiles) continue;
    const fresh = await aLearner(lesson, makeEngine);
    try {
      for (const earlier of lesson.steps.slice(0, i)) await solve(fresh, earlier);
      fresh.ran = [];
      await edit(fresh, step.files, 'preset');
      await edit(fresh, step.nearMissFiles, 'near-miss edit');
      await run(fresh, step.nearMiss ?? []);
      expect(await met(fresh, step), `${lesson.id}/${step.id}: the near-miss reaches the goal\n${fresh.transcript}`).toBe(false);
    } finally {
      await fresh.engine.dispose();
    }
  }
  for (const [i, miss] of (lesson.challenge?.nearMisses ?? []).entries()) {
    const fresh = await aLearner(lesson, makeEngine);
    try {
      for (const step of lesson.steps) await solve(fresh, step);
      fresh.ran = [];
      await run(fresh, miss.commands);
      const where = `${lesson.id}/challenge near miss ${i}`;
      expect(await holds(fresh, lesson.challenge!.goal), `${where} reaches the goal\n${fresh.transcript}`).toBe(false);
      // Its message is what the learner reads in that state: the state must be recognised.
      expect(await holds(fresh, miss.when), `${where}: its \`when\` does not hold after its commands\n${fresh.transcript}`).toBe(true);
    } finally {
      await fresh.engine.dispose();
    }
  }
}

/** The challenge from the end of the steps: its goal and near-miss states unmet there, its solution meets the goal. */
async function replayChallenge(lesson: Lesson, challenge: Challenge, learner: Learner): Promise<void> {
  learner.ran = [];
  expect(await holds(learner, challenge.goal), `${lesson.id}/challenge: goal already met when the steps end\n${learner.transcript}`).toBe(false);
  for (const [i, miss] of challenge.nearMisses.entries())
    expect(await holds(learner, miss.when), `${lesson.id}/challenge: near miss ${i}'s \`when\` holds before any attempt\n${learner.transcript}`).toBe(
      false,
    );
  await run(learner, challenge.solution);
  expect(await holds(learner, challenge.goal), `${lesson.id}/challenge: solution does not reach the goal\n${learner.transcript}`).toBe(true);
}
