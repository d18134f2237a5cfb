import type { StateSnapshot } from '../engine/state.js';
import { checkGoal, type EditorFiles, type RanCommands } from './goal-check.js';
import type { Goal } from './goal.js';
import type { Challenge } from './lesson.schema.js';

/** What grading reads of a challenge: its goal, and each near miss's state and message (not the commands CI replays). */
export type GradedChallenge = Pick<Challenge, 'goal'> & { nearMisses: readonly { when: Goal; message: string }[] };

export type ChallengeGrade = { kind: 'met' } | { kind: 'nearMiss'; message: string } | { kind: 'unmet' };

/**
 * Where the learner's state stands against the challenge: met, or one of its known near
 * misses (the first whose `when` holds, so its message can say what is off), or neither.
 */
export function gradeChallenge(challenge: GradedChallenge, state: StateSnapshot, files: EditorFiles = {}, ran: RanCommands = []): ChallengeGrade {
  if (checkGoal(challenge.goal, state, files, ran)) return { kind: 'met' };
  const miss = challenge.nearMisses.find((m) => checkGoal(m.when, state, files, ran));
  return miss ? { kind: 'nearMiss', message: miss.message } : { kind: 'unmet' };
}
