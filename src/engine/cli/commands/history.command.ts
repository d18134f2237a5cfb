import { daemonError } from '../render-error.js';
import { ago } from '../../format/duration.js';
import { GO_ZERO_TIME } from '../../format/go-json.js';
import { tableSize } from '../../format/size.js';
import { table } from '../../format/table.js';
import { EngineError } from '../../errors.js';
import type { ImageRecord } from '../../images/image-store.js';
import { bool, str } from '../flags.js';
import type { Command } from '../command.js';
import { ellipsis } from '../ellipsis.js';
import { renderRows } from './ps.command.js';

export const historyCommand: Command = {
  path: 'history',
  aliases: ['image history'],
  args: { kind: 'exact', n: 1 },
  flags: [
    { long: 'no-trunc', type: 'bool' },
    { long: 'quiet', short: 'q', type: 'bool' },
    { long: 'human', short: 'H', type: 'bool' },
    { long: 'format', type: 'string' },
    { long: 'platform', type: 'string' },
  ],
  async run(ctx, parsed) {
    let image: ImageRecord;
    try {
      image = ctx.images.resolve(parsed.args[0]!);
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
    const trunc = !bool(parsed, 'no-trunc');
    const now = ctx.drivers.clock.now();
    const rows = historyRows(ctx.images.images, ctx.images.layers, image);
    if (bool(parsed, 'quiet')) {
      for (const r of rows) ctx.out(`${r.id === '<missing>' || !trunc ? r.id : r.id.slice(7, 19)}\n`);
      return 0;
    }
    const fields = rows.map((r) => ({
      ID: r.id === '<missing>' ? r.id : trunc ? r.id.slice(7, 19) : r.id,
      // A config without `created` has Go's zero time, which the CLI prints as N/A.
      CreatedSince: r.created === undefined ? 'N/A' : ago(Date.parse(r.created), now),
      CreatedAt: r.created ?? GO_ZERO_TIME,
      CreatedBy: trunc ? ellipsis(r.createdBy.replace(/\t/g, ' '), 45) : r.createdBy.replace(/\t/g, ' '),
      Size: tableSize(r.size),
      Comment: r.comment,
    }));
    const format = str(parsed, 'format');
    if (format !== undefined) {
      ctx.out(
        renderRows(format, fields, {
          ID: 'IMAGE',
          CreatedSince: 'CREATED',
          CreatedAt: 'CREATED AT',
          CreatedBy: 'CREATED BY',
          Size: 'SIZE',
          Comment: 'COMMENT',
        }),
      );
      return 0;
    }
    ctx.out(
      table([['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], ...fields.map((f) => [f.ID, f.CreatedSince, f.CreatedBy, f.Size, f.Comment])]),
    );
    return 0;
  },
};

interface HistoryRow {
  id: string;
  created: string | undefined;
  createdBy: string;
  size: number;
  comment: string;
}

/** moby image_history.go: newest first; the top row carries the image's ID, the next
 * its parent's, and so on up the parent chain; the rest are `<missing>`. */
export function historyRows(
  images: ReadonlyMap<string, ImageRecord>,
  layers: ReadonlyMap<string, { size: number }>,
  image: ImageRecord,
): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let layerIndex = 0;
  for (const h of image.config.history) {
    let size = 0;
    if (!h.empty_layer) {
      const chainId = image.chainIds[layerIndex++];
      size = chainId === undefined ? 0 : (layers.get(chainId)?.size ?? 0);
    }
    rows.unshift({ id: '<missing>', created: h.created, createdBy: h.created_by ?? '', size, comment: h.comment ?? '' });
  }
  let current: ImageRecord | undefined = image;
  for (const row of rows) {
    if (!current) break;
    row.id = current.id;
    current = current.parent ? images.get(current.parent) : undefined;
  }
  return rows;
}
