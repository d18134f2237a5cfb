import { builtinCommands, commandTable } from '../engine/cli/commands/index.js';
import { HELP_FLAG } from '../engine/cli/parse-command.js';

/** A flag of a docker command, as the engine parses it. */
export interface FlagSpec {
  long: string;
  short: string | null;
  /** Whether the flag takes a value (`--name string`) or is a switch (`-d`). */
  takesValue: boolean;
}

/**
 * The engine's own command table — the one the engine parses a line with — so Tab offers
 * exactly the commands and flags that run, and knows which flags take a value as the
 * parse does (no second reading of Docker's help text).
 */
const COMMANDS = commandTable(builtinCommands);

/** The flags of `docker <path>` (`run`, `image ls`), `--help` included, hidden ones not. */
export function flagsOf(commandPath: string): FlagSpec[] {
  const command = COMMANDS.get(commandPath);
  if (command === undefined) return [];
  return [...command.flags, HELP_FLAG].filter((f) => !f.hidden).map((f) => ({ long: f.long, short: f.short ?? null, takesValue: f.type !== 'bool' }));
}

/** Whether the words after the command's first operand are a command line of its own (`run`, `create`, `exec`): pflag's SetInterspersed(false). */
export function takesCommandLine(commandPath: string): boolean {
  return COMMANDS.get(commandPath)?.interspersed === false;
}

/** The words that may follow `docker` + `prefix` (`[]` → run, ps, image…; `['image']` → inspect, ls…). */
export function subcommandsOf(prefix: string[]): string[] {
  const depth = prefix.length;
  const words = new Set<string>();
  for (const path of COMMANDS.keys()) {
    const parts = path.split(' ');
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
