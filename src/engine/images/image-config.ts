import type { Digest } from '../digest.js';

/**
 * The image configuration as Docker writes it (OCI image config plus Docker's
 * `config` fields). The image ID is the sha256 of these bytes, so the key order here
 * is the one the JSON is written in.
 */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  /** Docker's extension: the shell of RUN/CMD/ENTRYPOINT's shell form (`SHELL`). */
  Shell?: string[];
}

export interface HistoryEntry {
  /** Absent in a config made by hand (Docker's zero time: `N/A` in `docker history`). */
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture: string;
  author?: string;
  config: ContainerConfig;
  /** Docker's legacy field: the container a commit was made from. */
  container?: string;
  created: string;
  history: HistoryEntry[];
  os: string;
  rootfs: { type: 'layers'; diff_ids: Digest[] };
}

/** The non-empty fields of an image's `config`, in the order Docker writes them. */
export function orderedContainerConfig(src: ContainerConfig): ContainerConfig {
  const config: ContainerConfig = {};
  if (src.User) config.User = src.User;
  if (src.ExposedPorts && Object.keys(src.ExposedPorts).length) config.ExposedPorts = src.ExposedPorts;
  if (src.Env && src.Env.length) config.Env = src.Env;
  if (src.Entrypoint) config.Entrypoint = src.Entrypoint;
  if (src.Cmd) config.Cmd = src.Cmd;
  if (src.Volumes && Object.keys(src.Volumes).length) config.Volumes = src.Volumes;
  if (src.WorkingDir) config.WorkingDir = src.WorkingDir;
  if (src.Labels && Object.keys(src.Labels).length) config.Labels = src.Labels;
  if (src.StopSignal) config.StopSignal = src.StopSignal;
  if (src.Shell && src.Shell.length) config.Shell = src.Shell;
  return config;
}

/** Serialises with Docker's field order: top level sorted, `config` in Go struct order. */
export function encodeImageConfig(c: ImageConfig): Uint8Array {
  const config = orderedContainerConfig(c.config);
  const ordered: Record<string, unknown> = { architecture: c.architecture };
  if (c.author) ordered.author = c.author;
  ordered.config = config;
  if (c.container) ordered.container = c.container;
  ordered.created = c.created;
  ordered.history = c.history;
  ordered.os = c.os;
  ordered.rootfs = c.rootfs;
  return new TextEncoder().encode(JSON.stringify(ordered));
}

export function decodeImageConfig(bytes: Uint8Array): ImageConfig {
  return JSON.parse(new TextDecoder().decode(bytes)) as ImageConfig;
}
