import { CommandLineError } from '../engine/cli/command-line-errors.js';
import { commandTable } from '../engine/cli/commands/command-table.js';
import { execCommand } from '../engine/cli/commands/exec.command.js';
import { runCommand } from '../engine/cli/commands/run.command.js';
import { startCommand } from '../engine/cli/commands/start.command.js';
import { bool } from '../engine/cli/flags.js';
import { parseCommandLine } from '../engine/cli/parse-command.js';

/** How a command line uses the learner's terminal while it runs. */
export interface AttachMode {
  /** Reads what the learner types (`-i`, `start -i`). */
  stdin: boolean;
  /** Runs on a pty (`-t`): the pty echoes the typed line, so the terminal must not. */
  tty: boolean;
}

const DETACHED: AttachMode = { stdin: false, tty: false };

/** Only the commands that can attach: any other line (or one the engine refuses) takes no keys. */
const ATTACHING = commandTable([runCommand, execCommand, startCommand]);

/** Reads `docker run|exec|start` (also as `docker container …`) with the engine's own parse, so the page and the engine agree on `-it`. */
export function attachMode(line: string): AttachMode {
  let parsed;
  try {
    parsed = parseCommandLine(line, ATTACHING);
  } catch (err) {
    if (err instanceof CommandLineError) return DETACHED;
    throw err;
  }
  if (parsed.kind !== 'command') return DETACHED;
  // `start` attaches stdin with -i only; `run`/`exec` with -i unless detached. Whether a
  // started container has a tty is its config's, which the line does not say: taken as none.
  const stdin = bool(parsed, 'interactive') && !bool(parsed, 'detach');
  return { stdin, tty: stdin && bool(parsed, 'tty') };
}
