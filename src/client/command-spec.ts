import { helpTexts } from '../engine/cli/help-texts.js';

/** A flag of a docker command, as its `--help` lists it. */
export interface FlagSpec {
  long: string;
  short: string | null;
  /** Whether the flag takes a value (`--name string`) or is a switch (`-d`). */
  takesValue: boolean;
}

// Docker's (cobra's) help lines: `  -d, --detach   Run …` or `      --name string   Assign …`.
const FLAG_LINE = /^ {2}(?:-(\w), )?(?: {4})?--([\w-]+)(?: (\w+))?(?: {2,}|$)/;

/** The flags of `docker <path> --help` (`run`, `image ls`), read from the recorded help text. */
export function flagsOf(commandPath: string): FlagSpec[] {
  const text = helpTexts[commandPath];
  if (text === undefined) return [];
  const flags: FlagSpec[] = [];
  for (const line of text.split('\n')) {
    const m = FLAG_LINE.exec(line);
    if (m) flags.push({ short: m[1] ?? null, long: m[2]!, takesValue: m[3] !== undefined });
  }
  return flags;
}

/** The words that may follow `docker` + `prefix` (`[]` → run, ps, image…; `['image']` → ls). */
export function subcommandsOf(prefix: string[]): string[] {
  const depth = prefix.length;
  const words = new Set<string>();
  for (const path of Object.keys(helpTexts)) {
    const parts = path.split(' ').filter(Boolean);
    if (parts.length > depth && prefix.every((p, i) => parts[i] === p)) words.add(parts[depth]!);
  }
  return [...words].sort();
}

/** What an operand of a command names, for completing it from the state. */
export function operandKind(commandPath: string, operandIndex: number): 'image' | 'container' | null {
  // Docker: `run`/`create` take IMAGE first; after it comes the container's own command line.
  if (commandPath === 'run' || commandPath === 'create') return operandIndex === 0 ? 'image' : null;
  if (['rmi', 'history', 'save'].includes(commandPath)) return 'image';
  if (commandPath === 'tag') return operandIndex === 0 ? 'image' : null;
  if (['start', 'stop', 'restart', 'kill', 'pause', 'unpause', 'rm', 'logs', 'diff'].includes(commandPath)) return 'container';
  if (commandPath === 'exec' || commandPath === 'commit') return operandIndex === 0 ? 'container' : null;
  return null;
}
