import { EngineError } from '../../errors.js';
import { goJson } from '../../format/go-json.js';
import { renderTemplate, TemplateError } from '../../format/go-template.js';
import { containerInspect, imageGraphDriverData, imageInspect, type GraphDriverData } from '../../format/inspect-json.js';
import type { ImageRecord } from '../../images/image-store.js';
import { NoSuchContainer } from '../../containers/container-errors.js';
import { NoSuchImage } from '../../images/image-errors.js';
import { str } from '../flags.js';
import type { Command, CommandContext } from '../command.js';

type Kind = 'container' | 'image' | undefined;

function makeInspect(path: string, aliases: string[], kind: Kind): Command {
  return {
    path,
    aliases,
    args: { kind: 'min', n: 1 },
    flags: [
      { long: 'format', short: 'f', type: 'string' },
      { long: 'size', short: 's', type: 'bool' },
      { long: 'type', type: 'string' },
    ],
    async run(ctx, parsed) {
      const type = (str(parsed, 'type') as Kind) ?? kind;
      const format = str(parsed, 'format');
      const found: Record<string, unknown>[] = [];
      const errors: string[] = [];
      for (const ref of parsed.args) {
        const obj = await lookup(ctx, ref, type);
        if (obj) found.push(obj);
        else
          errors.push(
            type === 'image'
              ? `Error: No such image: ${ref}`
              : type === 'container'
                ? `Error: No such container: ${ref}`
                : `Error: No such object: ${ref}`,
          );
      }
      if (format === undefined) {
        ctx.out(`${goJson(found, '    ')}\n`);
      } else {
        try {
          for (const obj of found) ctx.out(`${renderTemplate(format, obj)}\n`);
          // Docker: the template writer ends its output with a newline even when nothing matched.
          if (found.length === 0) ctx.out('\n');
        } catch (err) {
          if (!(err instanceof TemplateError)) throw err;
          ctx.err(`${err.message}\n`);
          return 1;
        }
      }
      for (const e of errors) ctx.err(`${e}\n`);
      return errors.length ? 1 : 0;
    },
  };
}

/** Docker looks for a container first, then an image (`--type` narrows it). */
async function lookup(ctx: CommandContext, ref: string, kind: Kind): Promise<Record<string, unknown> | undefined> {
  if (kind !== 'image') {
    try {
      const c = ctx.containers.get(ref);
      return containerInspect(c, ctx.drivers.runtime.rootfsLayout?.(c.id));
    } catch (err) {
      if (!(err instanceof NoSuchContainer) && !(err instanceof EngineError)) throw err;
    }
  }
  if (kind !== 'container') {
    try {
      const image = ctx.images.resolve(ref);
      return imageInspect(image, await imageGraphData(ctx, image));
    } catch (err) {
      if (!(err instanceof NoSuchImage) && !(err instanceof EngineError)) throw err;
    }
  }
  return undefined;
}

let views = 0;

/** The image's layer dirs, read from a read-only view of its top layer made and removed here. */
async function imageGraphData(ctx: CommandContext, image: ImageRecord): Promise<GraphDriverData | null> {
  const top = image.chainIds[image.chainIds.length - 1];
  if (top === undefined) return null;
  const key = `inspect-${image.id.slice(7, 19)}-${++views}`;
  const view = await ctx.drivers.snapshotter.view(key, top);
  await ctx.drivers.snapshotter.remove(key);
  return imageGraphDriverData(view);
}

export const inspectCommand = makeInspect('inspect', [], undefined);
export const imageInspectCommand = makeInspect('image inspect', [], 'image');
export const containerInspectCommand = makeInspect('container inspect', [], 'container');
