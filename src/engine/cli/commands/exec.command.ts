import { daemonError } from '../render-error.js';
import { ContainerStateError } from '../../containers/container-errors.js';
import { envFlag } from '../../containers/process-args.js';
import { EngineError, ProcessStartError } from '../../errors.js';
import { bool, list, str } from '../flags.js';
import type { Command } from '../command.js';
import { followTtySize } from '../follow-tty-size.js';
import { waitForeground } from '../sig-proxy.js';

export const execCommand: Command = {
  path: 'exec',
  aliases: ['container exec'],
  args: { kind: 'min', n: 2 },
  interspersed: false,
  flags: [
    { long: 'interactive', short: 'i', type: 'bool' },
    { long: 'tty', short: 't', type: 'bool' },
    { long: 'detach', short: 'd', type: 'bool' },
    { long: 'env', short: 'e', type: 'list' },
    { long: 'workdir', short: 'w', type: 'string' },
    { long: 'user', short: 'u', type: 'string' },
  ],
  async run(ctx, parsed) {
    const [ref, ...args] = parsed.args as [string, ...string[]];
    const env: string[] = [];
    for (const e of list(parsed, 'env')) {
      const entry = envFlag(e, ctx.opts.env);
      if (entry !== undefined) env.push(entry);
    }
    const td = new TextDecoder();
    const detach = bool(parsed, 'detach');
    // Once the command has returned (detached, or left after Ctrl-C), the process's output is no longer its.
    let attached = !detach;
    try {
      const c = ctx.containers.get(ref);
      const io = {
        stdout: (b: Uint8Array) => attached && ctx.out(td.decode(b)),
        stderr: (b: Uint8Array) => attached && ctx.err(td.decode(b)),
        ...(bool(parsed, 'interactive') && ctx.opts.stdin ? { stdin: ctx.opts.stdin } : {}),
      };
      const started = ctx.containers.exec(
        c,
        { args, env, cwd: str(parsed, 'workdir'), user: str(parsed, 'user'), tty: bool(parsed, 'tty') },
        io,
        ref,
      );
      if (detach) {
        started.then((h) => h.wait()).catch(() => undefined);
        return 0;
      }
      const handle = await started;
      const unfollow = followTtySize(ctx.opts.resize, handle.resize && ((s) => handle.resize!(s.cols, s.rows)));
      try {
        // With -t the runtime delivers SIGINT as a terminal would: ^C to the pty's foreground process group.
        return await waitForeground(ctx, handle.wait(), {
          ...(handle.signal ? { forward: () => handle.signal!('SIGINT') } : {}),
          detach: () => (attached = false),
        });
      } finally {
        unfollow();
      }
    } catch (err) {
      if (err instanceof ProcessStartError) {
        // Docker: the CLI relays the runtime's reason on stdout and exits 126, whatever the cause.
        ctx.out(`OCI runtime exec failed: exec failed: unable to start container process: ${err.message}: unknown\n`);
        return 126;
      }
      if (err instanceof ContainerStateError || err instanceof EngineError) {
        daemonError(ctx, err);
        return 1;
      }
      throw err;
    }
  },
};
