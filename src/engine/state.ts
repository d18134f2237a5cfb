import * as z from 'zod/mini';

/**
 * The engine's state as plain JSON: what the browser draws, what the sandbox server's
 * `GET /api/sessions/:id/state` returns and what `layerlab exec --json` prints. One
 * schema, shared by all three; lesson goals are checked against it. zod's mini build: the
 * same checks, a third of the bytes in the embed that fetches it (issue 15's budget). No locale
 * of its own: where a person reads its issues, the parse is given schema-messages.ts's English
 * (`{ error: englishIssue }`) — set for all of zod, it would word the full build's issues too.
 */
const digest = z.string().check(z.regex(/^sha256:[0-9a-f]{64}$/));

export const layerFileSchema = z.object({
  path: z.string(),
  kind: z.enum(['file', 'dir', 'symlink', 'whiteout', 'opaque']),
  size: z.int().check(z.nonnegative()),
});

export const layerSchema = z.object({
  diffId: digest,
  chainId: digest,
  /** chainID of the layer below, null for a base layer. */
  parent: z.nullable(digest),
  size: z.int().check(z.nonnegative()),
  /** The history entry that made it (`RUN /bin/sh -c …`, `COPY …`). */
  createdBy: z.string(),
  files: z.array(layerFileSchema),
});

export const historySchema = z.object({
  created: z.string(),
  createdBy: z.string(),
  emptyLayer: z.boolean(),
  comment: z.optional(z.string()),
});

export const imageSchema = z.object({
  id: digest,
  repoTags: z.array(z.string()),
  created: z.string(),
  size: z.int().check(z.nonnegative()),
  /** The image's layers by diffID, base first (RootFS.Layers). */
  diffIds: z.array(digest),
  chainIds: z.array(digest),
  history: z.array(historySchema),
  config: z.object({
    cmd: z.nullable(z.array(z.string())),
    entrypoint: z.nullable(z.array(z.string())),
    env: z.array(z.string()),
    workingDir: z.string(),
    user: z.string(),
    labels: z.record(z.string(), z.string()),
    exposedPorts: z.array(z.string()),
  }),
});

export const containerStatusSchema = z.enum(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

export const containerChangeSchema = z.object({
  /** `docker diff`'s letters: Added, Changed, Deleted. */
  kind: z.enum(['A', 'C', 'D']),
  path: z.string(),
});

export const mountViewSchema = z.object({
  type: z.string(),
  source: z.string(),
  options: z.array(z.string()),
  /**
   * The kernel's own line (mountinfo, proc(5)) read from `readFrom`; or, when that is null,
   * a line reconstructed from the snapshot's mount in /proc/mounts's form — what the
   * simulator would mount, or what the server meant to when the kernel has no line for it.
   */
  line: z.string(),
  /** The file the kernel's line was read from (`/proc/<init pid>/mountinfo`); null when `line` is reconstructed. */
  readFrom: z.nullable(z.string()),
  lowerDirs: z.array(z.string()),
  upperDir: z.string(),
  workDir: z.string(),
  /** True when the simulator describes the mount it would make. */
  simulated: z.boolean(),
});

/** The namespace kinds of namespaces(7), named as `/proc/<pid>/ns/` names them. */
export const namespaceTypeSchema = z.enum(['pid', 'net', 'mnt', 'uts', 'ipc', 'cgroup', 'user']);

export const namespaceViewSchema = z.object({
  type: namespaceTypeSchema,
  /** The inode `readlink /proc/<pid>/ns/<type>` names (`pid:[4026532301]`): one inode, one namespace. */
  inode: z.int().check(z.nonnegative()),
  /** The host's inode for the same type (the sandbox's own); equal means shared with the host. Null when unreadable. */
  hostInode: z.nullable(z.int().check(z.nonnegative())),
});

export const containerSchema = z.object({
  id: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  name: z.string(),
  /** The image as the user named it (`busybox`, `busybox:latest`, an ID). */
  image: z.string(),
  imageId: digest,
  command: z.string(),
  status: containerStatusSchema,
  exitCode: z.nullable(z.int()),
  created: z.string(),
  startedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  /** The container layer against its image, as `docker diff` reports it. */
  changes: z.array(containerChangeSchema),
  /** The container layer's own entries (what is in the upper dir). */
  upper: z.array(layerFileSchema),
  mount: z.nullable(mountViewSchema),
  pid: z.nullable(z.int()),
  /**
   * The init process's namespaces while it runs (or is paused). Optional: the runtime
   * may not tell, and snapshots written before it existed lack it. On the simulator
   * (`backend: 'sim'`) they are the ones runc would make, as the mount is.
   */
  namespaces: z.optional(z.array(namespaceViewSchema)),
  /** Its volumes (`-v`, `--mount`, the image's VOLUMEs): where each is mounted. Optional: older snapshots lack it. */
  volumes: z.optional(z.array(z.object({ name: z.string(), destination: z.string(), readOnly: z.boolean() }))),
});

/** A volume of the session (`docker volume ls`): its files are in no layer. */
export const volumeSchema = z.object({
  name: z.string(),
  /** Made for `-v /path` or an image's VOLUME (`rm -v`, `run --rm` and `volume prune` remove it). */
  anonymous: z.boolean(),
  /** IDs of the containers, in any state, that hold it. */
  usedBy: z.array(z.string()),
});

/**
 * A `docker build` still running: its image as far as the finished steps go (the stage
 * being built), before the image exists. Its layers are in `layers` already.
 */
export const buildSchema = z.object({
  id: z.string(),
  /** The image the stage's FROM resolved to; null for `scratch` or an earlier stage. */
  baseImageId: z.nullable(digest),
  /** How many of `chainIds` came with FROM; the ones above are this stage's own steps. */
  baseLayers: z.int().check(z.nonnegative()),
  started: z.string(),
  /** The last finished step of `total`. */
  step: z.int().check(z.nonnegative()),
  total: z.int().check(z.nonnegative()),
  diffIds: z.array(digest),
  chainIds: z.array(digest),
  history: z.array(historySchema),
});

export const stateSchema = z.object({
  schemaVersion: z.literal(1),
  /** How many events the engine had emitted when the snapshot was taken: of two snapshots
   * the one with the higher seq is the later state (answers can arrive out of order). */
  seq: z.optional(z.int().check(z.nonnegative())),
  backend: z.enum(['sim', 'linux']),
  images: z.array(imageSchema),
  layers: z.array(layerSchema),
  containers: z.array(containerSchema),
  /** The session's volumes. Optional: snapshots written before volumes lack it. */
  volumes: z.optional(z.array(volumeSchema)),
  /** Builds in progress; absent when none runs. */
  builds: z.optional(z.array(buildSchema)),
});

export type StateSnapshot = z.infer<typeof stateSchema>;
export type ImageState = z.infer<typeof imageSchema>;
export type HistoryState = z.infer<typeof historySchema>;
export type BuildState = z.infer<typeof buildSchema>;
export type LayerState = z.infer<typeof layerSchema>;
export type ContainerState = z.infer<typeof containerSchema>;
export type ContainerStatus = z.infer<typeof containerStatusSchema>;
export type MountView = z.infer<typeof mountViewSchema>;
export type NamespaceView = z.infer<typeof namespaceViewSchema>;
export type NamespaceType = z.infer<typeof namespaceTypeSchema>;
