import type { StuckSettings } from './stuck.js';

/** A class one instructor runs: its learners join by `joinCode` and walk `lessons` in order. */
export interface Workshop {
  id: string;
  title: string;
  /** Lesson slugs (`01-hello`), in the order the class takes them. */
  lessons: string[];
  /** How many learners may join; a join past it is refused (`WORKSHOP_FULL`). */
  maxLearners: number;
  learnerLimits: LearnerLimits;
  /** `XXXX-XXXX` from `JOIN_CODE_ALPHABET`. */
  joinCode: string;
  joinPaused: boolean;
  /** Who the dashboard flags stuck (`stuck.ts`): chosen at create, changeable by the instructor; the defaults are 3×, 2 min, 3. */
  stuckSettings: StuckSettings;
  /** Epoch ms; a closed workshop takes no joins and no progress. */
  closedAt: number | null;
  /**
   * Whether the instructor has opened the class namespace of the sandbox's registry
   * (`localhost:5000/class/<handle>/…`, registry-shared.ts): off unless they open it.
   */
  sharedRegistry: boolean;
  createdAt: number;
}

/** What one learner's sandbox may use, when the instructor asks for less than the server's session limits. */
export interface LearnerLimits {
  memoryBytes?: number;
  diskBytes?: number;
}

export interface Learner {
  id: string;
  workshopId: string;
  /** As the learner typed it (any Unicode, `MAX_DISPLAY_NAME_CHARS` at most): untrusted text, never HTML. */
  displayName: string;
  /**
   * The learner's own part of the class namespace (`localhost:5000/class/<handle>/…`): from their
   * name's ASCII letters and digits (`learner` when none) and their number in the workshop, so unique in it.
   */
  handle: string;
  joinedAt: number;
  position: LearnerPosition;
}

/**
 * One thing a learner did: reached a step (no command), or ran a command there and got its exit
 * code. `at` is the server's clock when it was reported, never the browser's.
 */
export interface ProgressEvent {
  lesson: string;
  step: number;
  command: string | null;
  exitCode: number | null;
  at: number;
}

/** Where a learner is, folded from their events (`advancePosition`), kept beside them so reading a class reads no events. */
export interface LearnerPosition {
  lesson: string | null;
  step: number | null;
  /** When they reached this lesson and step: how long they have been on it. */
  stepSince: number | null;
  commands: number;
  failedCommands: number;
  lastCommand: string | null;
  lastExitCode: number | null;
  lastAt: number | null;
}

export const START_POSITION: LearnerPosition = {
  lesson: null,
  step: null,
  stepSince: null,
  commands: 0,
  failedCommands: 0,
  lastCommand: null,
  lastExitCode: null,
  lastAt: null,
};

/**
 * A hint the instructor sent: to one learner, or to everyone (`toAll`). Stored, so a learner who
 * reconnects, or joins late, gets every hint meant for them again.
 */
export interface Hint {
  id: string;
  /** Plain text (newlines kept); shown as text, never HTML. */
  text: string;
  at: number;
  toAll: boolean;
}
