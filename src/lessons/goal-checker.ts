import type { StateSnapshot } from '../engine/state.js';
import { gradeChallenge, type ChallengeGrade, type GradedChallenge } from './challenge-grade.js';
import type { EditorFiles } from './goal-check.js';
import type { Goal } from './goal.js';
import { newlyCompleted } from './step-progress.js';

export interface GoalCheckerOptions {
  readonly steps: readonly { id: string; goal: Goal }[];
  /** The steps done so far (a lesson page's progress store, a widget's own set). */
  completed(): ReadonlySet<string>;
  /** What the goals are checked against: the engine's state and the build context's files. */
  read(): Promise<{ state: StateSnapshot; files: EditorFiles }>;
  /** The challenge to grade once every step is done; undefined when there is none or it was met. */
  challenge(): GradedChallenge | undefined;
  /** A step's goal was met (called in step order). */
  stepDone(id: string): void;
  /** The challenge's grade after a check that finished no step. */
  graded(grade: ChallengeGrade): void;
}

/**
 * The goal checks of a lesson, one at a time — `<ll-lesson>` on a lesson page and the embed's
 * lesson panel both walk their steps with it. After a command (or a change of files) the steps
 * are checked in order, so one command may finish the current step and the next, never skip one;
 * once they are done the challenge is graded. A check asked for while one runs (a burst of
 * commands) makes that one run again instead of racing it on an older state.
 */
export class GoalChecker {
  /** The commands that succeeded since the current step (or the challenge) began, for `ran` goals. */
  private ran: string[] = [];
  private checking = false;
  private recheck = false;

  constructor(private readonly options: GoalCheckerOptions) {}

  /** A command finished: one that succeeded counts for `ran` goals; the goals are checked again. */
  commandFinished(command: string, exitCode: number | null): Promise<boolean> {
    if (exitCode === 0) this.ran.push(command);
    return this.check();
  }

  /** Checks the goals; false when a check was under way, which runs again instead (its caller sees the end). */
  async check(): Promise<boolean> {
    if (this.checking) {
      this.recheck = true;
      return false;
    }
    this.checking = true;
    try {
      do {
        this.recheck = false;
        const { state, files } = await this.options.read();
        const completed = this.options.completed();
        const ran = [...this.ran];
        const done = newlyCompleted(this.options.steps, completed, state, files, ran);
        // The next step (or the challenge) counts only the commands run from now on.
        if (done.length > 0) this.ran = this.ran.slice(ran.length);
        for (const id of done) this.options.stepDone(id);
        const challenge = this.options.challenge();
        if (done.length === 0 && challenge && this.options.steps.every((s) => completed.has(s.id)))
          this.options.graded(gradeChallenge(challenge, state, files, ran));
      } while (this.recheck);
    } finally {
      this.checking = false;
    }
    return true;
  }
}
