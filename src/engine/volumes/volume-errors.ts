import { EngineError } from '../errors.js';

/** Docker: `create x: "x" includes invalid characters for a local volume name, …`. */
export class InvalidVolumeName extends EngineError {
  readonly code = 'INVALID_VOLUME_NAME';
}
/** Docker: `get x: no such volume`. */
export class NoSuchVolume extends EngineError {
  readonly code = 'NO_SUCH_VOLUME';
}
/** Docker: `remove x: volume is in use - [<container ID>]`. */
export class VolumeInUse extends EngineError {
  readonly code = 'VOLUME_IN_USE';
}
/** Docker: `invalid volume specification: '…': …` — a `-v`/`--mount` Docker itself refuses. */
export class InvalidVolumeSpec extends EngineError {
  readonly code = 'INVALID_VOLUME_SPEC';
}
/** A host directory (`-v /host:/path`, `--mount type=bind`): a learner's container never reaches the host. */
export class BindMountRefused extends EngineError {
  readonly code = 'BIND_MOUNT_REFUSED';
}
/** A volume target where the runtime mounts its own filesystems (/proc, /sys, /dev): refused before runc sees it. */
export class ReservedMountPath extends EngineError {
  readonly code = 'RESERVED_MOUNT_PATH';
}
/** Docker: `Duplicate mount point: /data`. */
export class DuplicateMountPoint extends EngineError {
  readonly code = 'DUPLICATE_MOUNT_POINT';
}
