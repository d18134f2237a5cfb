import type { BaseImage } from '../create-engine.js';
import type { ImageConfig } from '../images/image-config.js';

/** A base image's config document: what the engine stores it as, and what a seeded registry serves (registry/seeded-images.ts). */
export function baseImageConfig(base: BaseImage): ImageConfig {
  return {
    architecture: base.architecture ?? 'amd64',
    config: base.config,
    created: base.created,
    history: base.history,
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: base.layers.map((l) => l.diffId) },
  };
}
