import { parseFlags, FlagError, type FlagSpec, type ParsedArgs } from './flags.js';
import { tokenize } from './tokenize.js';
import { NotADockerCommand, UnknownCommand, UnsupportedCommand, UnsupportedGlobalOption, UsageError } from './command-line-errors.js';

/** What the parse needs of a command: its words and flags, not what it does. */
export interface CommandSpec {
  /** `run`, `system df`, `image inspect`. */
  path: string;
  /** Other paths that run it (`container run`, `image ls`). */
  aliases?: string[];
  args: ArgRule;
  flags: FlagSpec[];
  /** false for commands whose arguments are a command line (`run`, `exec`): flags stop at the first argument. */
  interspersed?: boolean;
}

/** cobra's positional-argument rules, each with Docker's message. */
export type ArgRule =
  | { kind: 'none' }
  | { kind: 'exact'; n: number }
  | { kind: 'min'; n: number }
  | { kind: 'max'; n: number }
  | { kind: 'range'; min: number; max: number };

/** What a `docker …` line asks for, once the words, the command and its flags are known. */
export type ParsedLine<C extends CommandSpec = CommandSpec> =
  | { kind: 'empty' }
  /** `docker`, `docker --help`, `docker help run`, `docker container`, `docker run --help`: print the help of `path` (`''`: docker's own). */
  | { kind: 'help'; path: string }
  | { kind: 'version' }
  | ({ kind: 'command'; command: C; /** The path as typed (`container ls` for `ps`): Docker's messages use it. */ invokedAs: string } & ParsedArgs);

/** Docker's management commands: `docker container` alone prints their command list. */
const MANAGEMENT = ['container', 'image', 'system', 'volume'];

/** Commands Docker has that Layerlab does not (yet). */
const DOCKER_COMMANDS = new Set(
  `attach build builder buildx checkpoint compose config container context cp events export image import info inspect
  kill load login logout logs manifest network node pause plugin port ps pull push rename restart rm rmi run save search
  secret service stack start stats stop swarm system tag top trust unpause update version volume wait`.split(/\s+/),
);

const MANAGEMENT_SUBCOMMANDS: Record<string, string[]> = {
  container: ['attach', 'cp', 'export', 'port', 'prune', 'rename', 'stats', 'top', 'update', 'wait'],
  image: ['build', 'import', 'load', 'prune', 'pull', 'push', 'save'],
  system: ['events', 'prune'],
  volume: ['update'],
};

/** Flags every command has: Docker's `--help`. */
export const HELP_FLAG: FlagSpec = { long: 'help', type: 'bool' };

/**
 * The one parse of a `docker …` line — the engine runs what it returns, the server counts
 * containers and builds on it, the page reads `-it` from it. Words as a shell splits them
 * (`tokenize.ts`), the command by its path or alias, its flags as pflag reads them
 * (`flags.ts`), its arguments against cobra's rule. Anything refused throws a
 * `CommandLineError` (`command-line-errors.ts`) with a stable code.
 */
export function parseCommandLine<C extends CommandSpec>(line: string, commands: ReadonlyMap<string, C>): ParsedLine<C> {
  const words = tokenize(line);
  if (words.length === 0) return { kind: 'empty' };
  if (words[0] !== 'docker') throw new NotADockerCommand(`'${words[0]}' is not supported here: only docker commands run`, { word: words[0]! });
  const rest = words.slice(1);
  const first = rest[0];
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 1)) return { kind: 'help', path: '' };
  if (first === '-v' || first === '--version') return { kind: 'version' };
  if (first === 'help') return { kind: 'help', path: rest.slice(1).join(' ') };
  if (first.startsWith('-')) throw new UnsupportedGlobalOption(`docker's global option ${first} is not supported yet`, { option: first });

  let path = first;
  let argWords = rest.slice(1);
  const two = rest.slice(0, 2).join(' ');
  if (rest.length >= 2 && commands.has(two)) {
    path = two;
    argWords = rest.slice(2);
  } else if (MANAGEMENT.includes(path)) {
    const sub = rest[1];
    if (sub === undefined || sub === '--help') return { kind: 'help', path };
    if (!sub.startsWith('-') && MANAGEMENT_SUBCOMMANDS[path]!.includes(sub)) {
      throw new UnsupportedCommand(`'docker ${path} ${sub}' is not supported yet`, { command: `${path} ${sub}` });
    }
    throw new UnknownCommand(`unknown command: docker ${path} ${sub}`, { command: `${path} ${sub}`, group: path });
  }
  // One word is one word: `docker container\ run` names no command, as in Docker.
  const command = /\s/.test(first) && path === first ? undefined : commands.get(path);
  if (!command) {
    if (DOCKER_COMMANDS.has(path)) throw new UnsupportedCommand(`'docker ${path}' is not supported yet`, { command: path });
    throw new UnknownCommand(`unknown command: docker ${path}`, { command: path });
  }
  let parsed: ParsedArgs;
  try {
    parsed = parseFlags(argWords, [...command.flags, HELP_FLAG], command.interspersed ?? true);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    throw new UsageError(err.code, err.message, path, 'flag');
  }
  if (parsed.flags.get('help') === true) return { kind: 'help', path };
  checkArgs(command.args, parsed.args.length, path);
  return { kind: 'command', command, invokedAs: path, ...parsed };
}

function checkArgs(rule: ArgRule, n: number, path: string): void {
  const cmd = `'docker ${path}'`;
  const plural = (k: number) => (k === 1 ? 'argument' : 'arguments');
  // Docker 28's cli/required.go words the hint per rule: `See` for RequiresMinArgs,
  // `Run` for the others, and a stray `S` before `Run` for RequiresMaxArgs (as the 28.2.2 binary prints it).
  const fail = (code: 'MISSING_ARGUMENT' | 'TOO_MANY_ARGUMENTS', message: string, hint: 'See' | 'Run' | 'SRun') => {
    throw new UsageError(code, message, path, hint);
  };
  switch (rule.kind) {
    case 'none':
      if (n > 0) fail('TOO_MANY_ARGUMENTS', `${cmd} accepts no arguments`, 'Run');
      return;
    case 'exact':
      if (n !== rule.n) fail(n < rule.n ? 'MISSING_ARGUMENT' : 'TOO_MANY_ARGUMENTS', `${cmd} requires ${rule.n} ${plural(rule.n)}`, 'Run');
      return;
    case 'min':
      if (n < rule.n) fail('MISSING_ARGUMENT', `${cmd} requires at least ${rule.n} ${plural(rule.n)}`, 'See');
      return;
    case 'max':
      if (n > rule.n) fail('TOO_MANY_ARGUMENTS', `${cmd} requires at most ${rule.n} ${plural(rule.n)}`, 'SRun');
      return;
    case 'range':
      if (n < rule.min || n > rule.max) {
        fail(
          n < rule.min ? 'MISSING_ARGUMENT' : 'TOO_MANY_ARGUMENTS',
          `${cmd} requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}`,
          'Run',
        );
      }
  }
}
