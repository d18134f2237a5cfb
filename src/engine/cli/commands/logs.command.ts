import { daemonError } from '../render-error.js';
import { EngineError } from '../../errors.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';
import { waitForeground } from '../sig-proxy.js';

export const logsCommand: Command = {
  path: 'logs',
  aliases: ['container logs'],
  args: { kind: 'exact', n: 1 },
  flags: [
    { long: 'follow', short: 'f', type: 'bool' },
    { long: 'timestamps', short: 't', type: 'bool' },
    { long: 'details', type: 'bool' },
    { long: 'tail', short: 'n', type: 'string' },
    { long: 'since', type: 'string' },
    { long: 'until', type: 'string' },
  ],
  async run(ctx, parsed) {
    let c;
    try {
      c = ctx.containers.get(parsed.args[0]!);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
    const tail = str(parsed, 'tail');
    if (tail !== undefined && tail !== 'all' && !/^\d+$/.test(tail)) {
      ctx.err(`Error response from daemon: invalid value for "tail": "${tail}"\n`);
      return 1;
    }
    const lines = c.logs.read().flatMap((chunk) => (chunk.text.match(/[^\n]*\n|[^\n]+$/g) ?? []).map((text) => ({ stream: chunk.stream, text })));
    const shown = tail === undefined || tail === 'all' ? lines : lines.slice(Math.max(0, lines.length - Number(tail)));
    for (const line of shown) (line.stream === 'stdout' ? ctx.out : ctx.err)(line.text);
    if (bool(parsed, 'follow') && c.exited) {
      const sink = { stdout: ctx.out, stderr: ctx.err };
      c.sinks.add(sink);
      // Docker: `logs -f` ends with the container; Ctrl-C ends the CLI alone (nothing to forward).
      const code = await waitForeground(
        ctx,
        c.exited.then(() => 0),
        { detach: () => c.sinks.delete(sink) },
      );
      c.sinks.delete(sink);
      return code;
    }
    return 0;
  },
};
