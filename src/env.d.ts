interface ImportMetaEnv {
  /** `true` in the embed's build (scripts/lib/build-embed.mjs), which drops what only the site's own pages run. */
  readonly LAYERLAB_EMBED?: boolean;
}
