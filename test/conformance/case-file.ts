import { tokenize } from '../../src/engine/cli/tokenize.js';

/**
 * Conformance case files: command scripts recorded on a real Docker engine (the oracle)
 * that the simulator and runc must reproduce (replay-case.ts). One file per topic,
 * `test/conformance/cases/<topic>.case` (build cases in `cases/build/`):
 *
 *   # what this case checks, in one line            ← description (first comment)
 *   # recorded: …                                    ← more header comments
 *   @normalise build-timings                         ← header directives (see below)
 *   # docker28: why the text below differs from the oracle's
 *   @sleep 2                                         ← advance time before the next command
 *   $ docker run --name c1 busybox echo hi           ← one command, no shell features
 *   hi                                               ← stdout, verbatim
 *   ! Error response from daemon: …                  ← stderr, after `! `
 *   [exit 0]                                         ← exit code, closes the command
 *
 * Inside a command (between `$` and `[exit N]`) every line is output, blank lines too. A
 * stdout line that starts with one of `$ ! # @ [ | \` is written behind `| ` so it cannot be
 * taken for syntax. `\ no newline at end` after an output line says that stream did not end
 * with a newline. stdout and stderr are recorded as two streams: their interleaving is not
 * kept, as two pipes do not keep it either. Outside commands, blank lines are ignored.
 *
 * Header directives, before the first command:
 *   @context <dir>        commands run in <dir> (relative to the case file), copied with git's
 *                         modes (case-context.ts): a build context
 *   @normalise <rule>…    extra normalisation rules for this case (see normalise.ts)
 */

export interface CaseCommand {
  /** 1-based line of the `$` line in the file, for error messages. */
  line: number;
  /** `# …` lines directly above the command (without `# `), e.g. `docker28: …` notes. */
  comments: string[];
  /** Seconds of `@sleep` directly above the command: time that passes before it runs. */
  sleep: number;
  /** `NAME=value` words in front of `docker`, e.g. `DOCKER_BUILDKIT=0`. */
  env: Record<string, string>;
  /** The command line after the env words, starting with `docker`. */
  command: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ConformanceCase {
  /** Comment lines before the first directive or command; the first one says what the case checks. */
  header: string[];
  context?: string;
  normalise: string[];
  commands: CaseCommand[];
}

export class CaseSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CaseSyntaxError';
  }
}
const NO_NEWLINE = '\\ no newline at end';
const ESCAPE = '| ';
const NEEDS_ESCAPE = /^[$!#@[|\\]/;
const ENV_WORD = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/;

export function description(c: ConformanceCase): string {
  return c.header[0] ?? '';
}

export function parseCase(text: string): ConformanceCase {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const result: ConformanceCase = { header: [], normalise: [], commands: [] };
  let comments: string[] = [];
  let sleep = 0;
  let i = 0;

  const lineNo = () => i + 1;
  // The header is the comment block the file starts with; a blank line or a directive ends it.
  for (; i < lines.length && isComment(lines[i]!); i++) result.header.push(lines[i]!.slice(2));
  if (result.header.length === 0) throw new CaseSyntaxError('a case starts with a "# …" line saying what it checks', 1);
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (isComment(line)) {
      comments.push(line.slice(2));
      i++;
      continue;
    }
    if (line.startsWith('@')) {
      const [name, ...args] = line.slice(1).trim().split(/\s+/);
      const headerPlace = result.commands.length === 0 && comments.length === 0 && sleep === 0;
      if (name === 'sleep') {
        const seconds = Number(args[0]);
        if (args.length !== 1 || !Number.isFinite(seconds) || seconds < 0) {
          throw new CaseSyntaxError('@sleep takes one number of seconds', lineNo());
        }
        sleep += seconds;
      } else if (name === 'context' || name === 'normalise') {
        if (!headerPlace) throw new CaseSyntaxError(`@${name} belongs in the header, before the first command`, lineNo());
        if (args.length === 0) throw new CaseSyntaxError(`@${name} needs an argument`, lineNo());
        if (name === 'context') {
          if (args.length !== 1) throw new CaseSyntaxError('@context takes one directory', lineNo());
          result.context = args[0]!;
        } else {
          result.normalise.push(...args);
        }
      } else {
        throw new CaseSyntaxError(`unknown directive @${name}`, lineNo());
      }
      i++;
      continue;
    }
    if (line.startsWith('$ ')) {
      const start = lineNo();
      const { env, command } = splitEnv(line.slice(2), start);
      const out = { stdout: [] as string[], stderr: [] as string[], stdoutEnds: true, stderrEnds: true };
      let last: 'stdout' | 'stderr' | undefined;
      i++;
      let exitCode: number | undefined;
      for (; i < lines.length; i++) {
        const body = lines[i]!;
        const exit = /^\[exit (\d+)\]$/.exec(body);
        if (exit) {
          exitCode = Number(exit[1]);
          i++;
          break;
        }
        if (body === NO_NEWLINE) {
          if (!last) throw new CaseSyntaxError(`"${NO_NEWLINE}" must follow an output line`, lineNo());
          out[last === 'stdout' ? 'stdoutEnds' : 'stderrEnds'] = false;
          continue;
        }
        if (body === '!' || body.startsWith('! ')) {
          out.stderr.push(body.slice(2));
          last = 'stderr';
        } else if (body.startsWith(ESCAPE)) {
          out.stdout.push(body.slice(ESCAPE.length));
          last = 'stdout';
        } else if (NEEDS_ESCAPE.test(body)) {
          throw new CaseSyntaxError(`output line "${body}" must be escaped as "${ESCAPE}${body}" (or is a missing [exit N])`, lineNo());
        } else {
          out.stdout.push(body);
          last = 'stdout';
        }
      }
      if (exitCode === undefined) throw new CaseSyntaxError(`command "${command}" has no [exit N] line`, start);
      result.commands.push({
        line: start,
        comments,
        sleep,
        env,
        command,
        stdout: joinStream(out.stdout, out.stdoutEnds),
        stderr: joinStream(out.stderr, out.stderrEnds),
        exitCode,
      });
      comments = [];
      sleep = 0;
      continue;
    }
    throw new CaseSyntaxError(`expected "$ command", "# comment" or "@directive", got "${line}"`, lineNo());
  }
  if (comments.length > 0 || sleep > 0) throw new CaseSyntaxError('comments or @sleep after the last command', lines.length);
  if (result.commands.length === 0) throw new CaseSyntaxError('a case needs at least one command', lines.length);
  return result;
}

/** The canonical text of a case; `parseCase(formatCase(c))` gives `c` back. */
export function formatCase(c: ConformanceCase): string {
  const out: string[] = c.header.map(comment);
  if (c.context !== undefined) out.push(`@context ${c.context}`);
  if (c.normalise.length > 0) out.push(`@normalise ${c.normalise.join(' ')}`);
  for (const cmd of c.commands) {
    if (cmd.comments.length > 0 || cmd.sleep > 0 || cmd === c.commands[0]) {
      out.push('');
      out.push(...cmd.comments.map(comment));
      if (cmd.sleep > 0) out.push(`@sleep ${cmd.sleep}`);
    }
    const env = Object.entries(cmd.env).map(([k, v]) => `${k}=${v} `);
    out.push(`$ ${env.join('')}${cmd.command}`);
    out.push(...streamLines(cmd.stdout, (l) => (NEEDS_ESCAPE.test(l) ? ESCAPE + l : l)));
    out.push(...streamLines(cmd.stderr, (l) => (l === '' ? '!' : `! ${l}`)));
    out.push(`[exit ${cmd.exitCode}]`);
  }
  return out.join('\n') + '\n';
}

/**
 * Splits a command line into words the way a POSIX shell does for the quoting a case may
 * use ('…', "…", backslash), and refuses what would need a shell: the simulator gets the
 * same line, so a case must not depend on the oracle's shell.
 */
export function commandWords(commandLine: string): string[] {
  // The engine's own word split (what the simulator runs), told of every character a shell would act on.
  return tokenize(commandLine, {
    onShellCharacter(ch, quoting) {
      if (quoting === 'bare' && '|&;<>()$`*?~'.includes(ch)) throw new Error(`"${ch}" needs a shell; a case cannot use it unquoted: ${commandLine}`);
      if (quoting === 'double' && '$`'.includes(ch)) throw new Error(`expansions need a shell; a case cannot use them: ${commandLine}`);
    },
  });
}

function splitEnv(text: string, line: number): { env: Record<string, string>; command: string } {
  const env: Record<string, string> = {};
  let rest = text.trimStart();
  for (;;) {
    const m = /^(\S+)\s+/.exec(rest);
    const env1 = m ? ENV_WORD.exec(m[1]!) : null;
    if (!m || !env1) break;
    env[env1[1]!] = env1[2]!;
    rest = rest.slice(m[0].length);
  }
  if (!/^docker(\s|$)/.test(rest)) throw new CaseSyntaxError(`a command must start with "docker": ${text}`, line);
  return { env, command: rest };
}

function isComment(line: string): boolean {
  return line === '#' || line.startsWith('# ');
}

function joinStream(lines: string[], endsWithNewline: boolean): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (endsWithNewline ? '\n' : '');
}

function streamLines(text: string, render: (line: string) => string): string[] {
  if (text === '') return [];
  const ends = text.endsWith('\n');
  const lines = (ends ? text.slice(0, -1) : text).split('\n').map(render);
  if (!ends) lines.push(NO_NEWLINE);
  return lines;
}

function comment(text: string): string {
  return text === '' ? '#' : `# ${text}`;
}
