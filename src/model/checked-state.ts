import { englishIssue } from '../engine/schema-messages.js';
import { stateSchema } from '../engine/state.js';
import type { SourceEvent } from './sandbox.machine.js';

/**
 * A snapshot from outside the page (a learner's, relayed by the server to the dashboard) as
 * the sandbox machine's event: `state.received` once it passes the schema, else `state.refused`
 * with the schema's first complaint. The machine itself trusts what it receives.
 */
export function checkedState(state: unknown): SourceEvent {
  const checked = stateSchema.safeParse(state, { error: englishIssue });
  return checked.success
    ? { type: 'state.received', state: checked.data }
    : { type: 'state.refused', message: checked.error.issues[0]?.message ?? 'schema mismatch' };
}
