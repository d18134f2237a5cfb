import { busyboxRootfs } from '../../engine/base-image/busybox.js';
import { asDigest, type Digest } from '../../engine/digest.js';
import type { Change } from '../../engine/layer/change.js';
import meta from './busybox.json';

/** What `scripts/gen-busybox-image.mjs` recorded about the real busybox base layer. */
export interface BusyboxImageMeta {
  busyboxVersion: string;
  binary: { size: number; digest: Digest };
  appletPaths: string[];
  diffId: Digest;
  size: number;
}

export const busyboxImageMeta: BusyboxImageMeta = {
  ...meta,
  binary: { size: meta.binary.size, digest: asDigest(meta.binary.digest) },
  diffId: asDigest(meta.diffId),
};

/**
 * The simulator's busybox base layer: the recipe's entries with the binary as
 * `external` content (its size and digest, not its bytes), and the diffID the real tar
 * has. The simulator cannot write this layer's tar; the sandbox server rebuilds it from
 * the real binary, and a Linux test checks its diffID equals this one.
 */
export function simBusyboxLayer(): { changes: readonly Change[]; diffId: Digest; size: number } {
  // Built once a page: every engine on it (three widgets, a healed session's new one, the registry's seeds)
  // reads the same entries, which nothing changes — 400 checked paths are a cold start's work, not a constant's.
  layer ??= Object.freeze({
    changes: Object.freeze(
      busyboxRootfs({
        appletPaths: busyboxImageMeta.appletPaths,
        binary: { type: 'external', size: busyboxImageMeta.binary.size, digest: busyboxImageMeta.binary.digest },
      }),
    ),
    diffId: busyboxImageMeta.diffId,
    size: busyboxImageMeta.size,
  });
  return layer;
}

let layer: ReturnType<typeof simBusyboxLayer> | undefined;
