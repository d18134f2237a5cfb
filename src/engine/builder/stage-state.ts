import type { Digest } from '../digest.js';
import type { ContainerConfig, HistoryEntry } from '../images/image-config.js';

/** A stage as far as its steps have gone: the image config and layers it would commit,
 * plus what only the build sees (SHELL, ARG values, the cache key so far). */
export interface StageState {
  config: ContainerConfig;
  history: HistoryEntry[];
  diffIds: Digest[];
  chain: Digest[];
  architecture: string;
  os: string;
  shell: string[];
  /** ARGs declared in this stage, with their values (undefined: declared, no value). */
  args: Map<string, string | undefined>;
  cmdSet: boolean;
  key: string;
  /** Classic builder: the image after the last step. */
  imageId?: Digest;
}
