import { ago } from '../../format/duration.js';
import { renderTemplate, TemplateError } from '../../format/go-template.js';
import { table } from '../../format/table.js';
import { commandLine, statusOf, statusText, type ContainerRecord } from '../../containers/container-record.js';
import { bool, list, str } from '../flags.js';
import type { Command, CommandContext } from '../command.js';
import { ellipsis, goQuote } from '../ellipsis.js';
import { goTimeText } from '../go-time-text.js';

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Names: 'NAMES',
  Labels: 'LABELS',
  Size: 'SIZE',
};

const DEFAULT_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

export const psCommand: Command = {
  path: 'ps',
  aliases: ['container ls', 'container list', 'container ps'],
  args: { kind: 'none' },
  flags: [
    { long: 'all', short: 'a', type: 'bool' },
    { long: 'quiet', short: 'q', type: 'bool' },
    { long: 'no-trunc', type: 'bool' },
    { long: 'filter', short: 'f', type: 'list' },
    { long: 'format', type: 'string' },
    { long: 'last', short: 'n', type: 'int' },
    { long: 'latest', short: 'l', type: 'bool' },
    { long: 'size', short: 's', type: 'bool' },
  ],
  async run(ctx, parsed) {
    const trunc = !bool(parsed, 'no-trunc');
    let containers = ctx.containers.list();
    const latest = bool(parsed, 'latest') ? 1 : (parsed.flags.get('last') as number | undefined);
    if (!bool(parsed, 'all') && latest === undefined) containers = containers.filter((c) => isRunning(c));
    if (latest !== undefined && latest >= 0) containers = containers.slice(0, latest);
    for (const f of list(parsed, 'filter')) {
      const eq = f.indexOf('=');
      if (eq < 0) {
        ctx.err(`invalid argument "${f}" for "-f, --filter" flag: bad format of filter (expected name=value)\n`);
        return 125;
      }
      const key = f.slice(0, eq);
      const value = f.slice(eq + 1);
      const test = FILTERS[key];
      if (!test) {
        ctx.err(`Error response from daemon: invalid filter '${key}'\n`);
        return 1;
      }
      containers = containers.filter((c) => test(c, value));
    }
    if (bool(parsed, 'quiet')) {
      for (const c of containers) ctx.out(`${trunc ? c.id.slice(0, 12) : c.id}\n`);
      return 0;
    }
    const format = str(parsed, 'format') ?? DEFAULT_TABLE;
    const now = ctx.drivers.clock.now();
    const rows = containers.map((c) => fields(ctx, c, now, trunc));
    try {
      ctx.out(renderRows(format, rows));
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      ctx.err(`${err.message}\n`);
      return 1;
    }
    return 0;
  },
};

function isRunning(c: ContainerRecord): boolean {
  const s = statusOf(c);
  return s === 'running' || s === 'paused' || s === 'restarting';
}

const FILTERS: Record<string, (c: ContainerRecord, v: string) => boolean> = {
  status: (c, v) => statusOf(c) === v,
  name: (c, v) => c.name.includes(v.replace(/^\//, '')),
  id: (c, v) => c.id.startsWith(v),
  ancestor: (c, v) => c.imageRef === v || c.image.id.includes(v) || c.image.tags.includes(v) || c.image.tags.includes(`${v}:latest`),
  exited: (c, v) => statusOf(c) === 'exited' && String(c.machine.context.exitCode) === v,
};

function fields(ctx: CommandContext, c: ContainerRecord, now: number, trunc: boolean): Record<string, string> {
  const command = commandLine(c);
  let image = c.imageRef;
  try {
    // Docker: once the name points elsewhere, the column shows the image's ID.
    if (ctx.images.resolve(c.imageRef) !== c.image) image = c.image.id.slice(7, 19);
  } catch {
    image = c.image.id.slice(7, 19);
  }
  return {
    ID: trunc ? c.id.slice(0, 12) : c.id,
    Image: image,
    Command: goQuote(trunc ? ellipsis(command, 20) : command),
    CreatedAt: goTimeText(c.created),
    RunningFor: ago(c.created, now),
    Ports: '',
    State: statusOf(c),
    Status: statusText(c, now),
    Names: c.name,
    Labels: Object.entries(c.config.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Size: '0B',
  };
}

/** Docker's `--format`: a `table` prefix adds the header row and aligns columns. */
export function renderRows(format: string, rows: readonly Record<string, unknown>[], headers = HEADERS): string {
  const isTable = format.startsWith('table');
  const template = (isTable ? format.slice('table'.length).trimStart() : format).replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  if (!isTable) return rows.map((r) => `${renderTemplate(template, r)}\n`).join('');
  const headerRow = template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_m, k: string) => headers[k] ?? k.toUpperCase());
  const lines = [headerRow, ...rows.map((r) => renderTemplate(template, r))];
  return table(lines.map((l) => l.split('\t')));
}
