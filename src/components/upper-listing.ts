import type { ContainerState } from '../engine/state.js';

/**
 * A container's upper dir as `ls -l` would type its entries, for the "under the hood"
 * panel. overlayfs: a deleted lower file is a character device 0/0 in the upper dir,
 * and a dir that replaced a lower one is marked opaque by the `trusted.overlay.opaque=y`
 * xattr.
 */
export function upperListing(entries: readonly ContainerState['upper'][number][]): string {
  const sizes = entries.map((e) => (e.kind === 'whiteout' ? '0, 0' : String(e.size)));
  const width = Math.max(1, ...sizes.map((s) => s.length));
  return entries
    .map((e, i) => {
      const type = e.kind === 'dir' || e.kind === 'opaque' ? 'd' : e.kind === 'symlink' ? 'l' : e.kind === 'whiteout' ? 'c' : '-';
      const note = e.kind === 'whiteout' ? '  (whiteout)' : e.kind === 'opaque' ? '  (trusted.overlay.opaque=y)' : '';
      return `${type} ${sizes[i]!.padStart(width)} ${e.path}${note}`;
    })
    .join('\n');
}
