import { tokenize } from '../engine/cli/tokenize.js';
import { flagsOf } from './command-spec.js';

/** How a command line uses the learner's terminal while it runs. */
export interface AttachMode {
  /** Reads what the learner types (`-i`, `start -i`). */
  stdin: boolean;
  /** Runs on a pty (`-t`): the pty echoes the typed line, so the terminal must not. */
  tty: boolean;
}

const DETACHED: AttachMode = { stdin: false, tty: false };

/**
 * Reads `docker run|exec|start` (also as `docker container …`) flags as pflag does —
 * short switches may be joined (`-it`), a value flag takes the rest of its word or the
 * next one — using the flags of Docker's own help text, up to the first operand.
 */
export function attachMode(line: string): AttachMode {
  let words: string[];
  try {
    words = tokenize(line);
  } catch {
    return DETACHED;
  }
  if (words[0] !== 'docker') return DETACHED;
  let i = 1;
  if (words[i] === 'container') i++;
  const path = words[i++];
  if (path !== 'run' && path !== 'exec' && path !== 'start') return DETACHED;
  const flags = flagsOf(path);
  const set = new Set<string>();
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--' || !w.startsWith('-') || w === '-') break;
    if (w.startsWith('--')) {
      const [name, value] = w.slice(2).split('=', 2) as [string, string | undefined];
      const flag = flags.find((f) => f.long === name);
      if (flag?.takesValue && value === undefined) i++;
      else if (flag && !flag.takesValue && value !== 'false') set.add(flag.long);
      continue;
    }
    for (let k = 1; k < w.length; k++) {
      const flag = flags.find((f) => f.short === w[k]);
      if (!flag) break;
      if (flag.takesValue) {
        if (k === w.length - 1) i++;
        break;
      }
      set.add(flag.long);
    }
  }
  // `start` attaches stdin with -i only; `run`/`exec` with -i unless detached. Whether a
  // started container has a tty is its config's, which the line does not say: taken as none.
  const stdin = set.has('interactive') && !set.has('detach');
  return { stdin, tty: stdin && set.has('tty') };
}
