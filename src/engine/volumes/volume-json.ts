import type { ContainerVolume } from '../containers/container-record.js';
import type { VolumeRecord } from './volume-table.js';

/** Go's `time.Time.Format(time.RFC3339)` in UTC: the local driver's CreatedAt, to the second. */
function rfc3339Seconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `docker volume inspect`'s object (the API's volume.Volume, fields in its order). */
export function volumeInspect(v: VolumeRecord): Record<string, unknown> {
  // The oracle: no labels is `null`, not `{}`, whether `volume create` or `-v` made it; options are always null here.
  return {
    CreatedAt: rfc3339Seconds(v.createdAt),
    Driver: 'local',
    Labels: Object.keys(v.labels).length ? v.labels : null,
    Mountpoint: v.mountpoint,
    Name: v.name,
    Options: null,
    Scope: 'local',
  };
}

/** `docker inspect`'s Mounts entry (the API's MountPoint). */
export function mountPointJson(v: ContainerVolume): Record<string, unknown> {
  return {
    Type: 'volume',
    Name: v.name,
    Source: v.source,
    Destination: v.destination,
    Driver: 'local',
    Mode: v.mode,
    RW: !v.readOnly,
    Propagation: '',
  };
}
