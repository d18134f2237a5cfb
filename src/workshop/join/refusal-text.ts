import { format, type Labels } from '../../client/labels.js';
import { WorkshopApiError } from '../workshop-api.js';

/** Refusals a learner or instructor can act on, worded in their language; anything else by its code. */
const KNOWN = new Set([
  'NO_SUCH_WORKSHOP',
  'WORKSHOP_FULL',
  'JOINING_PAUSED',
  'WORKSHOP_CLOSED',
  'INVALID_DISPLAY_NAME',
  'INVALID_WORKSHOP',
  'RATE_LIMITED',
  'UNREACHABLE',
  'NO_SERVER',
]);

export function refusalText(labels: Labels, error: unknown): string {
  const code = error instanceof WorkshopApiError ? error.code : 'UNKNOWN';
  return KNOWN.has(code) ? format(labels, `workshop.join.error.${code}`) : format(labels, 'workshop.join.error.other', { code });
}
