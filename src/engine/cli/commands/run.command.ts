import { ContainerStartFailed } from '../../containers/container-errors.js';
import { EngineError } from '../../errors.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';
import { CONTAINER_FLAGS, createOptions, unsupportedOption, volumeRequests } from '../container-options.js';
import { isNoSuchImage, pullMissing, runDaemonError } from '../run-errors.js';
import { followTtySize } from '../follow-tty-size.js';
import { waitForeground } from '../sig-proxy.js';

export const runCommand: Command = {
  path: 'run',
  limit: 'container',
  aliases: ['container run'],
  args: { kind: 'min', n: 1 },
  interspersed: false,
  flags: [{ long: 'detach', short: 'd', type: 'bool' }, ...CONTAINER_FLAGS],
  async run(ctx, parsed) {
    const unsupported = unsupportedOption(parsed);
    if (unsupported) {
      ctx.err(`layerlab: ${unsupported} is not supported yet\n`);
      return 125;
    }
    const volumes = volumeRequests(ctx, parsed);
    if (typeof volumes === 'number') return volumes;
    const ref = parsed.args[0]!;
    const detach = bool(parsed, 'detach');
    // Docker: `--rm` and `-d` together are allowed (since API 1.25); `-d` wins over attach.
    let image;
    try {
      image = ctx.images.resolve(ref);
    } catch (err) {
      if (!isNoSuchImage(err)) throw err;
      const pulled = await pullMissing(ctx, ref, str(parsed, 'pull'));
      if (typeof pulled === 'number') return pulled;
      image = pulled;
    }
    let container;
    try {
      container = await ctx.containers.create(createOptions(ctx, parsed, ref, image, volumes));
    } catch (err) {
      if (err instanceof EngineError) return runDaemonError(ctx, err);
      throw err;
    }
    if (detach) {
      try {
        await ctx.containers.start(container);
      } catch (err) {
        return startFailure(
          ctx,
          err,
          container.hostConfig.autoRemove ? () => ctx.containers.remove(container, { force: true, volumes: true }) : undefined,
        );
      }
      ctx.out(`${container.id}\n`);
      return 0;
    }
    const sink = { stdout: ctx.out, stderr: ctx.err };
    try {
      await ctx.containers.start(container, { sink, stdin: ctx.opts.stdin });
    } catch (err) {
      return startFailure(
        ctx,
        err,
        container.hostConfig.autoRemove ? () => ctx.containers.remove(container, { force: true, volumes: true }) : undefined,
      );
    }
    const unfollow = container.config.tty ? followTtySize(ctx.opts.resize, (s) => ctx.containers.resize(container, s.cols, s.rows)) : () => undefined;
    try {
      return await waitForeground(ctx, ctx.containers.wait(container), {
        forward: () => ctx.containers.kill(container, container.name, 'SIGINT'),
        detach: () => container.sinks.delete(sink),
      });
    } finally {
      unfollow();
    }
  },
};

async function startFailure(ctx: Parameters<Command['run']>[0], err: unknown, cleanup?: () => Promise<void>): Promise<number> {
  if (cleanup) await cleanup().catch(() => undefined);
  if (err instanceof ContainerStartFailed) return runDaemonError(ctx, err, err.exitCode);
  if (err instanceof EngineError) return runDaemonError(ctx, err);
  throw err;
}
