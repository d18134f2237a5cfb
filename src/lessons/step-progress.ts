import type { StateSnapshot } from '../engine/state.js';
import { checkGoal, type EditorFiles, type RanCommands } from './goal-check.js';
import type { Goal } from './goal.js';

/**
 * The steps a state completes, in order from the first unfinished one: steps are
 * sequential, so checking stops at the first goal not met (one command may finish
 * the current step and the next, never skip one).
 */
export function newlyCompleted(
  steps: readonly { id: string; goal: Goal }[],
  completed: ReadonlySet<string>,
  state: StateSnapshot,
  files: EditorFiles = {},
  ran: RanCommands = [],
): string[] {
  const done: string[] = [];
  for (const step of steps) {
    if (completed.has(step.id)) continue;
    if (!checkGoal(step.goal, state, files, ran)) break;
    done.push(step.id);
  }
  return done;
}
