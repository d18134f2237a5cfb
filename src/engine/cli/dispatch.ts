import { EngineError } from '../errors.js';
import type { Command, CommandContext } from './command.js';
import { CommandLineError, UsageError } from './command-line-errors.js';
import type { CommandLimiter } from './command-limits.js';
import { loadHelpTexts } from './help-texts.js';
import { parseCommandLine } from './parse-command.js';
import { renderCommandError, renderCommandLineError } from './render-error.js';

export const CLIENT_VERSION = '28.2.2';

/**
 * Runs one `docker …` line against the commands; returns the exit code. The line is
 * parsed once (`parse-command.ts`); every refusal is a typed error, recorded with
 * `ctx.fail` and worded by `render-error.ts`.
 */
export async function dispatch(
  line: string,
  commands: ReadonlyMap<string, Command>,
  ctx: Omit<CommandContext, 'invokedAs'>,
  limiter?: CommandLimiter,
): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(line, commands);
  } catch (err) {
    if (!(err instanceof CommandLineError)) throw err;
    return refuse(ctx, err, renderCommandLineError(err, err instanceof UsageError ? await loadHelpTexts() : undefined));
  }
  switch (parsed.kind) {
    case 'empty':
      return 0;
    case 'version':
      ctx.out(`Docker version ${CLIENT_VERSION}, build e6534b4\n`);
      return 0;
    case 'help':
      return help(parsed.path, commands, ctx);
  }
  const { command, invokedAs } = parsed;
  let slot;
  try {
    slot = limiter?.admit(command);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    return refuse(ctx, err, renderCommandError(err, invokedAs, command.limit));
  }
  const emit: CommandContext['emit'] = (event) => {
    if (event.type === 'container.created') slot?.containerCreated();
    ctx.emit(event);
  };
  try {
    await ctx.containers.settle();
    return await command.run({ ...ctx, emit, invokedAs }, parsed);
  } catch (err) {
    // A typed error no command words itself (a path outside the workspace, a full
    // disk) is still the learner's answer, not a crash of the engine.
    if (!(err instanceof EngineError)) throw err;
    return refuse(ctx, err, renderCommandError(err, invokedAs, command.limit));
  } finally {
    slot?.release();
  }
}

function refuse(ctx: Pick<CommandContext, 'err' | 'fail'>, err: EngineError, rendered: { text: string; exitCode: number }): number {
  ctx.fail(err);
  ctx.err(rendered.text);
  return rendered.exitCode;
}

async function help(path: string, commands: ReadonlyMap<string, Command>, ctx: Omit<CommandContext, 'invokedAs'>): Promise<number> {
  const canonical = commands.get(path)?.path ?? path;
  const helpTexts = await loadHelpTexts();
  const text = helpTexts[path] ?? helpTexts[canonical];
  if (text === undefined) {
    ctx.err(`layerlab: no help for 'docker ${path}' yet\n`);
    return 1;
  }
  ctx.out(text);
  return 0;
}
