import { MIN_MEMORY_BYTES } from '../../src/engine/containers/resource-limits.js';
import type { SessionLimits } from '../sessions/session-limits.js';
import type { LearnerLimits } from './workshop-types.js';

/** A session's disk below this cannot hold busybox and a layer or two; a smaller ask gets this. */
export const MIN_LEARNER_DISK_BYTES = 32 * 1024 * 1024;

/**
 * The server's session limits narrowed by what the instructor asked for each learner: memory
 * and disk can only go down (a workshop never gets more than the server gives anyone), and
 * never below what a container needs to start. A container's default memory fits in the
 * session's, as `resourcePolicy` requires.
 */
export function learnerSessionLimits(server: SessionLimits, ask: LearnerLimits): SessionLimits {
  const sessionMemoryBytes =
    ask.memoryBytes === undefined ? server.sessionMemoryBytes : Math.min(server.sessionMemoryBytes, Math.max(ask.memoryBytes, MIN_MEMORY_BYTES));
  const stateBytes = ask.diskBytes === undefined ? server.stateBytes : Math.min(server.stateBytes, Math.max(ask.diskBytes, MIN_LEARNER_DISK_BYTES));
  return { ...server, sessionMemoryBytes, containerMemoryBytes: Math.min(server.containerMemoryBytes, sessionMemoryBytes), stateBytes };
}
