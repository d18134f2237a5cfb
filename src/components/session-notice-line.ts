import type { SessionNotice } from '../client/healing-engine.js';
import type { MessageKey } from '../i18n/index.js';

/** The notices that come once the page's engine was replaced. */
export type ReplacedNotice = Extract<SessionNotice['kind'], 'renewed' | 'reset' | 'resetByInstructor' | 'simulator'>;

/**
 * What the terminal says when the page's engine was replaced, and whether the lesson's steps run
 * again on the new one: a reset the learner asked for starts empty on purpose; a renewal, the
 * simulator and an instructor's reset restore what the learner had (their progress is the server's, untouched).
 */
export const REPLACED_NOTICE_LINES = {
  renewed: { key: 'terminal.sessionRenewed', replays: true },
  simulator: { key: 'terminal.onSimulator', replays: true },
  reset: { key: 'terminal.sessionReset', replays: false },
  resetByInstructor: { key: 'terminal.sessionResetByInstructor', replays: true },
} as const satisfies Record<ReplacedNotice, { key: MessageKey; replays: boolean }>;
