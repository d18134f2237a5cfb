import type { EngineError } from '../errors.js';
import type { CommandContext } from './command.js';
import { UnknownCommand, UsageError, type CommandLineError } from './command-line-errors.js';
import { BuildLimitReached, ContainerLimitReached } from './command-limits.js';
import type { HelpTexts } from './help-texts.js';

/** Text for stderr and the exit code Docker's CLI ends with. */
export interface RenderedError {
  text: string;
  exitCode: number;
}

/**
 * Docker 28's words for a refused command line. Usage errors repeat the command's usage
 * line (from its help text, which the caller loads for a UsageError) and exit 125
 * (cobra's flag errors) or 1 (cli/required.go's argument rules); what Layerlab itself
 * refuses says `layerlab:` so that it is never taken for Docker.
 */
export function renderCommandLineError(err: CommandLineError, helpTexts: HelpTexts = {}): RenderedError {
  if (err instanceof UsageError) {
    const usage = usageLine(err.command, helpTexts);
    if (err.hint === 'flag')
      return { text: `${err.message}\n\nUsage:  ${usage}\n\nRun 'docker ${err.command} --help' for more information\n`, exitCode: 125 };
    return { text: `docker: ${err.message}\n\nUsage:  ${usage}\n\n${err.hint} 'docker ${err.command} --help' for more information\n`, exitCode: 1 };
  }
  if (err instanceof UnknownCommand) {
    const group = err.details.group;
    if (group !== undefined)
      return { text: `docker: ${err.message}\n\nUsage:  docker ${group}\n\nRun 'docker ${group} --help' for more information\n`, exitCode: 1 };
    return { text: `docker: ${err.message}\n\nRun 'docker --help' for more information\n`, exitCode: 1 };
  }
  switch (err.code) {
    case 'UNTERMINATED_QUOTE':
    case 'NUL_IN_COMMAND':
      // bash's own exit code for a syntax error.
      return { text: `layerlab: ${err.message}\n`, exitCode: 2 };
    case 'NOT_DOCKER':
      return { text: `layerlab: ${err.message}\n`, exitCode: 127 };
    default:
      return { text: `layerlab: ${err.message}\n`, exitCode: 1 };
  }
}

/**
 * A typed error a command did not handle itself (a limit, a path outside the workspace,
 * a full disk): `run`/`create` say it as `docker: Error response from daemon: …` + hint
 * (exit 125), BuildKit as `ERROR: …` (exit 1), the others as the daemon's error (exit 1).
 */
export function renderCommandError(err: EngineError, invokedAs: string, limit: 'container' | 'build' | undefined): RenderedError {
  const daemon = err instanceof ContainerLimitReached || err instanceof BuildLimitReached ? `layerlab: ${err.message}` : err.message;
  if (limit === 'container')
    return { text: `docker: Error response from daemon: ${daemon}\n\nRun 'docker ${invokedAs} --help' for more information\n`, exitCode: 125 };
  if (limit === 'build') return { text: `ERROR: ${daemon}\n`, exitCode: 1 };
  return { text: `Error response from daemon: ${daemon}\n`, exitCode: 1 };
}

/** Prints a daemon error as Docker's CLI does (`Error response from daemon: …`) and records its code. */
export function daemonError(ctx: Pick<CommandContext, 'err' | 'fail'>, err: EngineError): void {
  ctx.fail(err);
  ctx.err(`Error response from daemon: ${err.message}\n`);
}

/** The `Usage:` line of a command's help, as its errors repeat it. */
export function usageLine(path: string, helpTexts: HelpTexts): string {
  const text = helpTexts[path] ?? '';
  const line = text.split('\n').find((l) => l.startsWith('Usage:'));
  return line ? line.replace(/^Usage:\s+/, '') : `docker ${path}`;
}
