import { daemonError } from '../render-error.js';
import { ago } from '../../format/duration.js';
import { tableSize } from '../../format/size.js';
import { table } from '../../format/table.js';
import { EngineError } from '../../errors.js';
import { parseReference } from '../../images/reference.js';
import { bool } from '../flags.js';
import type { Command } from '../command.js';

export const imagesCommand: Command = {
  path: 'images',
  aliases: ['image ls', 'image list'],
  args: { kind: 'max', n: 1 },
  flags: [
    { long: 'all', short: 'a', type: 'bool' },
    { long: 'quiet', short: 'q', type: 'bool' },
    { long: 'no-trunc', type: 'bool' },
    { long: 'digests', type: 'bool' },
    { long: 'filter', short: 'f', type: 'list' },
    { long: 'format', type: 'string' },
    { long: 'tree', type: 'bool' },
  ],
  async run(ctx, parsed) {
    const trunc = !bool(parsed, 'no-trunc');
    let match: ((name: string, tag: string) => boolean) | undefined;
    if (parsed.args[0] !== undefined) {
      const raw = parsed.args[0];
      try {
        const ref = parseReference(raw);
        const hasTag = raw.lastIndexOf(':') > raw.lastIndexOf('/');
        match = (name, tag) => name === ref.name && (!hasTag || tag === ref.tag);
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        daemonError(ctx, err);
        return 1;
      }
    }
    const now = ctx.drivers.clock.now();
    // Docker: newest first; images created in the same instant (one build's stages, on
    // the simulator's clock) list the one made last first.
    const images = [...ctx.images.images.values()].reverse().sort((a, b) => Date.parse(b.config.created) - Date.parse(a.config.created));
    const rows: string[][] = [];
    const ids: string[] = [];
    for (const image of images) {
      const id = trunc ? image.id.slice(7, 19) : image.id;
      const created = ago(Date.parse(image.config.created), now);
      const size = tableSize(image.size);
      const refs = image.tags.length ? image.tags.map(splitTag) : [['<none>', '<none>'] as [string, string]];
      for (const [name, tag] of refs) {
        if (match && !match(name, tag)) continue;
        // Docker: untagged images that are the parent of another are intermediate, shown with -a only.
        if (name === '<none>' && !bool(parsed, 'all') && isParent(image.id, images)) continue;
        rows.push([name, tag, id, created, size]);
        ids.push(id);
      }
    }
    if (bool(parsed, 'quiet')) {
      for (const id of ids) ctx.out(`${id}\n`);
      return 0;
    }
    ctx.out(table([['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], ...rows]));
    return 0;
  },
};

function splitTag(ref: string): [string, string] {
  const i = ref.lastIndexOf(':');
  return [ref.slice(0, i), ref.slice(i + 1)];
}

function isParent(id: string, images: readonly { parent: string | null }[]): boolean {
  return images.some((i) => i.parent === id);
}
