import { humanSize } from '../../format/size.js';
import { table } from '../../format/table.js';
import { statusOf } from '../../containers/container-record.js';
import { layerSize } from '../../layer/tar.js';
import type { Command } from '../command.js';

export const systemDfCommand: Command = {
  path: 'system df',
  args: { kind: 'none' },
  flags: [
    { long: 'verbose', short: 'v', type: 'bool' },
    { long: 'format', type: 'string' },
  ],
  async run(ctx) {
    const images = [...ctx.images.images.values()];
    const containers = ctx.containers.list();
    const activeImages = images.filter((i) => containers.some((c) => c.image === i));
    // Docker: images' size counts each layer once, however many images share it.
    const layerSet = new Set(images.flatMap((i) => i.chainIds));
    const imagesSize = [...layerSet].reduce((n, id) => n + (ctx.images.layers.get(id)?.size ?? 0), 0);
    const activeLayers = new Set(activeImages.flatMap((i) => i.chainIds));
    const reclaimableImages = [...layerSet].filter((id) => !activeLayers.has(id)).reduce((n, id) => n + (ctx.images.layers.get(id)?.size ?? 0), 0);
    let containersSize = 0;
    let reclaimableContainers = 0;
    let running = 0;
    for (const c of containers) {
      const size = layerSize(await ctx.drivers.snapshotter.changes(c.snapshotKey));
      containersSize += size;
      const s = statusOf(c);
      if (s === 'running' || s === 'paused' || s === 'restarting') running++;
      else reclaimableContainers += size;
    }
    // docker/cli formatter: a volume is active while a container holds it; reclaimable is what no container holds.
    const volumes = ctx.containers.volumes.list();
    let volumesSize = 0;
    let reclaimableVolumes = 0;
    let activeVolumes = 0;
    for (const v of volumes) {
      const size = await ctx.drivers.volumes.size(v.name);
      volumesSize += size;
      if (ctx.containers.volumeUsers(v.name).length) activeVolumes++;
      else reclaimableVolumes += size;
    }
    const pct = (part: number, total: number) => (total > 0 ? `${humanSize(part)} (${Math.trunc((part * 100) / total)}%)` : humanSize(part));
    ctx.out(
      table([
        ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
        ['Images', String(images.length), String(activeImages.length), humanSize(imagesSize), pct(reclaimableImages, imagesSize)],
        ['Containers', String(containers.length), String(running), humanSize(containersSize), pct(reclaimableContainers, containersSize)],
        ['Local Volumes', String(volumes.length), String(activeVolumes), humanSize(volumesSize), pct(reclaimableVolumes, volumesSize)],
        ['Build Cache', '0', '0', '0B', '0B'],
      ]),
    );
    return 0;
  },
};
