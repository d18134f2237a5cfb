import type { LearnerPosition, ProgressEvent } from './workshop-types.js';

/** The position after one more event: the one fold both stores apply as they record it. */
export function advancePosition(position: LearnerPosition, event: ProgressEvent): LearnerPosition {
  const moved = position.lesson !== event.lesson || position.step !== event.step;
  const ran = event.command !== null;
  return {
    lesson: event.lesson,
    step: event.step,
    stepSince: moved ? event.at : position.stepSince,
    commands: position.commands + (ran ? 1 : 0),
    failedCommands: position.failedCommands + (ran && event.exitCode !== 0 ? 1 : 0),
    lastCommand: ran ? event.command : position.lastCommand,
    lastExitCode: ran ? event.exitCode : position.lastExitCode,
    lastAt: event.at,
  };
}
