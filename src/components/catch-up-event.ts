/**
 * Asked on `document` by the terminal when the page's engine was replaced (a new sandbox
 * session, the simulator): each island that holds the learner's state adds to it, at once,
 * in the dispatch — the lesson the commands of its finished steps, the editor the writing of
 * its files — and the terminal runs the commands once `ready` has settled.
 */
export const CATCH_UP_EVENT = 'll-catch-up';

export interface CatchUpDetail {
  commands: string[];
  ready: Promise<unknown>[];
  /**
   * The learner asked for a clean environment ("Reset my environment"): islands restore
   * their files but add no commands, and forget the ones they recorded.
   */
  fresh?: boolean;
}
