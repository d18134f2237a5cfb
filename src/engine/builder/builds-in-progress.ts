import type { Digest } from '../digest.js';
import type { HistoryEntry } from '../images/image-config.js';

/**
 * A build's image as it stands after its last finished step: the stage being built,
 * its layers base first and its history so far. What the state snapshot's `builds`
 * shows, so the picture can grow the image step by step instead of at `build.done`.
 */
export interface BuildProgress {
  id: string;
  /** The image the stage's FROM resolved to; null for `scratch` or an earlier stage. */
  baseImageId: Digest | null;
  /** How many of `chainIds` the stage's FROM gave: the rest are this stage's own. */
  baseLayers: number;
  /** ms since the epoch, on the engine's clock. */
  started: number;
  /** The last finished step, of `total`, counted as the progress output counts them. */
  step: number;
  total: number;
  diffIds: readonly Digest[];
  chainIds: readonly Digest[];
  history: readonly HistoryEntry[];
}

/** The builds running in one engine, by build ID; the builder keeps it, the snapshot reads it. */
export class BuildsInProgress {
  private readonly builds = new Map<string, BuildProgress>();

  /** Copies what it is given: the builder goes on mutating its own arrays. */
  set(progress: BuildProgress): void {
    this.builds.set(progress.id, {
      ...progress,
      diffIds: [...progress.diffIds],
      chainIds: [...progress.chainIds],
      history: progress.history.map((h) => ({ ...h })),
    });
  }

  delete(id: string): void {
    this.builds.delete(id);
  }

  list(): BuildProgress[] {
    return [...this.builds.values()];
  }
}
