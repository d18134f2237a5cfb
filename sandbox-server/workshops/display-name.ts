import { WorkshopError } from './workshop-errors.js';

/** Code points, not UTF-16 units: a name of emoji is as long as one of letters. */
export const MAX_DISPLAY_NAME_CHARS = 64;

// C0 and C1 controls, NUL among them: PostgreSQL's text cannot hold a NUL, and none belongs in a name.
// Bidi overrides (U+202E) are kept: they are text, and the dashboard isolates each name (<bdi>).
// eslint-disable-next-line no-control-regex -- finding them is the point
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// A lone surrogate (JSON's "\ud800") is no character: neither SQLite's UTF-8 nor PostgreSQL's could store it.
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A learner's name as given — not trimmed, not escaped, not normalized: it is stored as typed
 * and whatever shows it treats it as text. Refused only when it cannot be stored or shown at all.
 */
export function checkDisplayName(name: string): string {
  if (LONE_SURROGATE.test(name)) throw new WorkshopError('INVALID_DISPLAY_NAME', 'the display name is not valid Unicode');
  if (CONTROL.test(name)) throw new WorkshopError('INVALID_DISPLAY_NAME', 'the display name contains control characters');
  if (name.trim() === '') throw new WorkshopError('INVALID_DISPLAY_NAME', 'the display name is empty');
  let chars = 0;
  for (const _ of name) if (++chars > MAX_DISPLAY_NAME_CHARS) break;
  if (chars > MAX_DISPLAY_NAME_CHARS) {
    throw new WorkshopError('INVALID_DISPLAY_NAME', `the display name is longer than ${MAX_DISPLAY_NAME_CHARS} characters`);
  }
  return name;
}
