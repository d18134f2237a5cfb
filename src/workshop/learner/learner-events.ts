import type { LearnerWorkshop } from '../workshop-api.js';
import type { Hint } from './learner-socket.js';

/** What the workshop bar shows, from the workshop mode running under the page's engine. */
export type LearnerEvent =
  | { kind: 'workshop'; workshop: LearnerWorkshop }
  | { kind: 'hint'; hint: Hint }
  | { kind: 'sandbox'; sandbox: 'session' | 'simulator' }
  | { kind: 'live'; open: boolean }
  /** The instructor reset this learner's sandbox (the page replays the lesson on the new one). */
  | { kind: 'reset'; at: number }
  /** The server refused this learner for good (revoked, deleted) or no longer takes progress (closed). */
  | { kind: 'refused'; code: string };

const listeners = new Set<(event: LearnerEvent) => void>();
// The bar may connect after the first events: it is given what it missed (hints once each, the latest of the rest).
const hints = new Map<string, LearnerEvent>();
const latest = new Map<string, LearnerEvent>();

export function emitLearnerEvent(event: LearnerEvent): void {
  if (event.kind === 'hint') {
    if (hints.has(event.hint.id)) return;
    hints.set(event.hint.id, event);
  } else latest.set(event.kind, event);
  for (const listener of listeners) listener(event);
}

export function onLearnerEvent(listener: (event: LearnerEvent) => void): () => void {
  for (const event of [...latest.values(), ...hints.values()]) listener(event);
  listeners.add(listener);
  return () => listeners.delete(listener);
}
