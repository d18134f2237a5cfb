import { daemonError } from './render-error.js';
import { EngineError } from '../errors.js';
import type { ContainerRecord } from '../containers/container-record.js';
import { NoSuchContainer } from '../containers/container-errors.js';
import type { CommandContext } from './command.js';

/**
 * Docker's pattern for `stop`/`kill`/`pause`/`rm`…: act on each container in turn,
 * print the name as given on success, print each daemon error on stderr, and exit 1
 * if any failed.
 */
export async function eachContainer(
  ctx: CommandContext,
  refs: readonly string[],
  action: (c: ContainerRecord, ref: string) => Promise<void>,
  opts: { ignoreMissing?: boolean } = {},
): Promise<number> {
  let failed = false;
  for (const ref of refs) {
    try {
      const c = ctx.containers.get(ref);
      await action(c, ref);
      ctx.out(`${ref}\n`);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      // Docker: `rm -f` of a missing container reports it but does not fail.
      if (!(opts.ignoreMissing && err instanceof NoSuchContainer)) failed = true;
    }
  }
  return failed ? 1 : 0;
}
