import type { StateSnapshot } from '../engine/state.js';
import type { Goal } from '../lessons/goal.js';

/**
 * What an embed tells its host page, as DOM CustomEvents on the widget's element that
 * bubble and are composed (they leave a shadow root the widget may itself sit in), and as
 * `postMessage` from the iframe form. The names and details are the stable `v1` API.
 */
export const EMBED_EVENTS = { command: 'layerlab:command', state: 'layerlab:state', goal: 'layerlab:goal' } as const;

export interface EmbedCommandDetail {
  command: string;
  exitCode: number;
}

export interface EmbedStateDetail {
  /** The engine's state snapshot (the same JSON as the sandbox's `GET …/state`). */
  state: StateSnapshot;
}

export interface EmbedGoalDetail {
  goal: Goal;
  /** `<layerlab-lesson>`: the lesson, and the step whose goal was met — or `challenge`, the lesson's challenge. */
  lesson?: string;
  step?: string;
  challenge?: true;
}

export function emit<D>(target: EventTarget, name: string, detail: D): void {
  target.dispatchEvent(new CustomEvent<D>(name, { detail, bubbles: true, composed: true }));
}
