import { helpTexts } from './help-texts.js';
import { FlagError, parseFlags } from './flags.js';
import { HELP_FLAG, type ArgRule, type Command, type CommandContext } from './command.js';
import { tokenize, UnterminatedQuote } from './tokenize.js';

/** Docker's management commands: `docker container` alone prints their command list. */
const MANAGEMENT = ['container', 'image', 'system'];

/** Commands Docker has that Layerlab does not (yet): said plainly, never faked. */
const DOCKER_COMMANDS = new Set(
  `attach build builder buildx checkpoint compose config container context cp events export image import info inspect
  kill load login logout logs manifest network node pause plugin port ps pull push rename restart rm rmi run save search
  secret service stack start stats stop swarm system tag top trust unpause update version volume wait`.split(/\s+/),
);

export const CLIENT_VERSION = '28.2.2';

/** Runs one `docker …` line against the commands; returns the exit code. */
export async function dispatch(line: string, commands: ReadonlyMap<string, Command>, ctx: Omit<CommandContext, 'invokedAs'>): Promise<number> {
  let words: string[];
  try {
    words = tokenize(line);
  } catch (err) {
    if (!(err instanceof UnterminatedQuote)) throw err;
    ctx.err(`layerlab: ${err.message}\n`);
    return 2;
  }
  if (words.length === 0) return 0;
  if (words[0] !== 'docker') {
    ctx.err(`layerlab: '${words[0]}' is not supported here: only docker commands run\n`);
    return 127;
  }
  const rest = words.slice(1);
  if (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h' || (rest[0] === 'help' && rest.length === 1)) {
    ctx.out(helpTexts['']!);
    return 0;
  }
  if (rest[0] === '-v' || rest[0] === '--version') {
    ctx.out(`Docker version ${CLIENT_VERSION}, build e6534b4\n`);
    return 0;
  }
  if (rest[0] === 'help') return help(rest.slice(1).join(' '), commands, ctx);
  if (rest[0]!.startsWith('-')) {
    ctx.err(`layerlab: docker's global option ${rest[0]} is not supported yet\n`);
    return 1;
  }
  const two = rest.slice(0, 2).join(' ');
  let path = rest[0]!;
  let argWords = rest.slice(1);
  if (rest.length >= 2 && commands.has(two)) {
    path = two;
    argWords = rest.slice(2);
  } else if (MANAGEMENT.includes(path)) {
    if (rest.length === 1 || rest[1] === '--help') return help(path, commands, ctx);
    if (!rest[1]!.startsWith('-') && commandExists(rest[1]!, path)) {
      ctx.err(`layerlab: 'docker ${path} ${rest[1]}' is not supported yet\n`);
      return 1;
    }
    ctx.err(`docker: unknown command: docker ${path} ${rest[1]}\n\nUsage:  docker ${path}\n\nRun 'docker ${path} --help' for more information\n`);
    return 1;
  }
  const command = commands.get(path);
  if (!command) {
    if (DOCKER_COMMANDS.has(path)) {
      ctx.err(`layerlab: 'docker ${path}' is not supported yet\n`);
      return 1;
    }
    ctx.err(`docker: unknown command: docker ${path}\n\nRun 'docker --help' for more information\n`);
    return 1;
  }
  const usage = usageLine(path);
  let parsed;
  try {
    parsed = parseFlags(argWords, [...command.flags, HELP_FLAG], command.interspersed ?? true);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    ctx.err(`${err.message}\n\nUsage:  ${usage}\n\nRun 'docker ${path} --help' for more information\n`);
    return 125;
  }
  if (parsed.flags.get('help') === true) return help(path, commands, ctx);
  const argError = checkArgs(command.args, parsed.args.length, path);
  if (argError) {
    ctx.err(`docker: ${argError}\n\nUsage:  ${usage}\n\n${argHint(command.args)} 'docker ${path} --help' for more information\n`);
    return 1;
  }
  return command.run({ ...ctx, invokedAs: path }, parsed);
}

function commandExists(sub: string, group: string): boolean {
  const known: Record<string, string[]> = {
    container: ['attach', 'cp', 'export', 'port', 'prune', 'rename', 'stats', 'top', 'update', 'wait'],
    image: ['build', 'import', 'load', 'prune', 'pull', 'push', 'save'],
    system: ['events', 'prune'],
  };
  return known[group]?.includes(sub) ?? false;
}

function help(path: string, commands: ReadonlyMap<string, Command>, ctx: Omit<CommandContext, 'invokedAs'>): number {
  const canonical = commands.get(path)?.path ?? path;
  const text = helpTexts[path] ?? helpTexts[canonical];
  if (text === undefined) {
    ctx.err(`layerlab: no help for 'docker ${path}' yet\n`);
    return 1;
  }
  ctx.out(text);
  return 0;
}

/** The `Usage:` line of a command's help, as its errors repeat it. */
export function usageLine(path: string): string {
  const text = helpTexts[path] ?? '';
  const line = text.split('\n').find((l) => l.startsWith('Usage:'));
  return line ? line.replace(/^Usage:\s+/, '') : `docker ${path}`;
}

function checkArgs(rule: ArgRule, n: number, path: string): string | undefined {
  const cmd = `'docker ${path}'`;
  const plural = (k: number) => (k === 1 ? 'argument' : 'arguments');
  switch (rule.kind) {
    case 'none':
      return n > 0 ? `${cmd} accepts no arguments` : undefined;
    case 'exact':
      return n !== rule.n ? `${cmd} requires ${rule.n} ${plural(rule.n)}` : undefined;
    case 'min':
      return n < rule.n ? `${cmd} requires at least ${rule.n} ${plural(rule.n)}` : undefined;
    case 'max':
      return n > rule.n ? `${cmd} requires at most ${rule.n} ${plural(rule.n)}` : undefined;
    case 'range':
      return n < rule.min || n > rule.max ? `${cmd} requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}` : undefined;
  }
}

/** Docker 28's cli/required.go words the hint differently per rule: `See` for
 * RequiresMinArgs, `Run` for the others, and a stray `S` before `Run` for
 * RequiresMaxArgs (as the 28.2.2 binary prints it). */
function argHint(rule: ArgRule): string {
  if (rule.kind === 'min') return 'See';
  if (rule.kind === 'max') return 'SRun';
  return 'Run';
}
