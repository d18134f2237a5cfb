/**
 * Typed errors with stable codes. The CLI renders Docker's English text from them;
 * the lesson UI explains them in the learner's language with `t('error.<CODE>')`.
 */
export abstract class EngineError extends Error {
  abstract readonly code: string;
  /** Values the UI may interpolate into its explanation. */
  readonly details: Readonly<Record<string, string | number>>;
  constructor(message: string, details: Record<string, string | number> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class BlobNotFound extends EngineError {
  readonly code = 'BLOB_NOT_FOUND';
}
export class DigestMismatch extends EngineError {
  readonly code = 'DIGEST_MISMATCH';
}
export class SnapshotNotFound extends EngineError {
  readonly code = 'SNAPSHOT_NOT_FOUND';
}
export class SnapshotExists extends EngineError {
  readonly code = 'SNAPSHOT_EXISTS';
}
export class SnapshotInUse extends EngineError {
  readonly code = 'SNAPSHOT_IN_USE';
}
/** An operation on a snapshot of the wrong kind (commit of a view, apply to a committed one). */
export class SnapshotKindError extends EngineError {
  readonly code = 'SNAPSHOT_KIND';
}
export class RuntimeContainerNotFound extends EngineError {
  readonly code = 'RUNTIME_CONTAINER_NOT_FOUND';
}
/** The runtime refused an operation in the container's current state. */
export class RuntimeStateError extends EngineError {
  readonly code = 'RUNTIME_STATE';
}
/** A layer entry whose bytes the backend does not hold (`external` content) was asked
 * to be serialised, e.g. the simulator's busybox binary written into a tar. */
export class ExternalContent extends EngineError {
  readonly code = 'EXTERNAL_CONTENT';
}
/** Layer entries or layer tar bytes that break the layer format (bad header, path
 * escaping the root, unsupported entry type, duplicate path). */
export class InvalidLayer extends EngineError {
  readonly code = 'INVALID_LAYER';
}
/** A workspace path (`save -o`) that leaves the workspace or goes through a link. */
export class WorkspacePathError extends EngineError {
  readonly code = 'WORKSPACE_PATH';
}
/** The workspace's disk is full (ENOSPC, EDQUOT): on the server, the session's quota. */
export class WorkspaceFull extends EngineError {
  readonly code = 'NO_SPACE';
}
/** A layer entry that would be written outside the layer: a name climbing out with `..`,
 * a hard link to a path outside it, an entry beneath a symlink of the same layer, a
 * whiteout naming no entry beneath its directory (moby pkg/archive's `breakoutError`). */
export class LayerBreakout extends EngineError {
  readonly code = 'LAYER_BREAKOUT';
}
/**
 * The runtime could not start a process (create/start of a container's init, or exec):
 * the executable is missing (`exitCode` 127) or not executable (126). `message` is the
 * OCI runtime's reason as runc words it: `exec: "nope": executable file not found in $PATH`.
 */
export class ProcessStartError extends EngineError {
  readonly code = 'PROCESS_START';
  constructor(
    message: string,
    readonly exitCode: 126 | 127,
  ) {
    super(message, { exitCode });
  }
}
/** The runtime would not make a container's mount — runc's `error mounting …`: a volume whose target, resolved inside the
 * rootfs through the image's links, lands where procfs or sysfs is. A daemon error to Docker's CLI (125). */
export class MountRefused extends EngineError {
  readonly code = 'MOUNT_REFUSED';
}
/** `--user` names an id the server's user namespace does not map (LAYERLAB_USERNS): the
 * runtime's "cannot set uid to unmapped user in user namespace", as under Docker's userns-remap. */
export class UnmappedUser extends EngineError {
  readonly code = 'UNMAPPED_USER';
}
/** `--user NAME` (or `USER NAME`) names no entry in the container's /etc/passwd (or
 * /etc/group): Docker's "unable to find user NAME: no matching entries in passwd file". */
export class UnknownUser extends EngineError {
  readonly code = 'UNKNOWN_USER';
}
/** The session's disk (its size-limited state root) is full: what the backend wrote is
 * removed again, and the learner is told to make room. */
export class NoSpaceLeft extends EngineError {
  readonly code = 'NO_SPACE_LEFT';
}
/** A file's bytes that came to another size than the layer's entry said while they were
 * read: a container that kept writing while it was committed, a blob cut short. */
export class ContentChanged extends EngineError {
  readonly code = 'CONTENT_CHANGED';
}
/** A JSON document a learner can shape (an archive's manifest.json or index.json, a manifest,
 * an image config; the server's snapshot metadata) past `MAX_JSON_DOCUMENT_BYTES`: refused
 * by its size, before it is read whole. */
export class DocumentTooLarge extends EngineError {
  readonly code = 'DOCUMENT_TOO_LARGE';
}
/** A registry the platform cannot reach: any host but the local one (`localhost:5000`), or a
 * platform without a registry. `message` is Docker's words for the failed connection. */
export class RegistryUnreachable extends EngineError {
  readonly code = 'REGISTRY_UNREACHABLE';
}
