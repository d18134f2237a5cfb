import { normalise } from '../builder/rootfs-view.js';
import { BindMountRefused, InvalidVolumeSpec, ReservedMountPath } from './volume-errors.js';
import { checkVolumeName } from './volume-name.js';

/** A volume a container asks for (`-v`, `--mount`, the image's VOLUME): `name` undefined is anonymous. */
export interface MountRequest {
  name: string | undefined;
  /** Absolute and clean (moby `filepath.Clean`). */
  destination: string;
  readOnly: boolean;
  /** What `inspect`'s Mounts says as Mode: `-v`'s mode word (`z` when none is given), `''` for `--mount` and VOLUME. */
  mode: string;
}

/** Where runc mounts proc, sysfs and the /dev tmpfs: a volume there or beneath would hide or replace them. */
const RUNTIME_MOUNTS = ['/proc', '/sys', '/dev'];
/** moby volume/mounts linuxParser: the modes `-v` takes. */
const MODES = new Set(['rw', 'ro', 'z', 'Z', 'nocopy']);

const invalidSpec = (raw: string, why?: string) =>
  new InvalidVolumeSpec(`invalid volume specification: '${raw}'${why ? `: ${why}` : ''}`, { spec: raw.slice(0, 200) });

/** moby linuxParser.validateMountConfig's checks on a target, then Layerlab's own (the runtime's mounts). */
export function mountDestination(raw: string, target: string): string {
  if (target.includes('\0')) throw invalidSpec(raw, 'a path holds a NUL byte');
  if (!target.startsWith('/'))
    throw invalidSpec(raw, `invalid mount config for type "volume": invalid mount path: '${target}' mount path must be absolute`);
  const clean = normalise(target);
  if (clean === '/') throw invalidSpec(raw, `invalid mount config for type "volume": invalid specification: destination can't be '/'`);
  const reserved = RUNTIME_MOUNTS.find((p) => clean === p || clean.startsWith(`${p}/`));
  if (reserved) throw new ReservedMountPath(`a volume cannot be mounted at ${clean}: the runtime mounts ${reserved} itself`, { path: clean });
  return clean;
}

/** A source naming the host (an absolute or relative path) rather than a volume. */
function hostPath(source: string): boolean {
  return source.includes('/') || source.startsWith('.') || source.startsWith('~');
}

function refuseBind(source: string): never {
  throw new BindMountRefused(
    `bind mounts are not available here: ${source} is a host path, and a container never reaches the host; use a named volume`,
    {
      source: source.slice(0, 200),
    },
  );
}

/** `-v [name:]/path[:mode]`, as moby's linuxParser.ParseMountRaw splits it. */
export function parseVolumeFlag(raw: string): MountRequest {
  const parts = raw.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) throw invalidSpec(raw);
  let source: string | undefined;
  let target: string;
  let mode = '';
  if (parts.length === 1) target = parts[0]!;
  else if (parts.length === 2) {
    // moby: `/foo:rw` — a destination and a mode is not a volume.
    if (MODES.has(parts[1]!)) throw invalidSpec(raw);
    [source, target] = parts as [string, string];
  } else [source, target, mode] = parts as [string, string, string];
  const words = mode === '' ? [] : mode.split(',');
  for (const w of words) if (!MODES.has(w)) throw invalidSpec(raw, `invalid mode: ${mode}`);
  if (source !== undefined && hostPath(source)) refuseBind(source);
  const name = source === undefined ? undefined : checkVolumeName(source);
  return {
    name,
    destination: mountDestination(raw, target),
    readOnly: words.includes('ro'),
    // Docker: a named volume given by -v reports SELinux's relabel default, `z`; an anonymous one nothing.
    mode: name === undefined ? mode : mode || 'z',
  };
}

/** `--mount type=volume,source=x,target=/p[,readonly]` (docker/cli opts.MountOpt's keys). */
export function parseMountFlag(raw: string): MountRequest {
  let type = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  for (const field of raw.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    switch (key) {
      case 'type':
        type = value ?? '';
        break;
      case 'source':
      case 'src':
        source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        target = value;
        break;
      case 'readonly':
      case 'ro':
        if (value !== undefined && !['true', '1', 'false', '0'].includes(value)) throw invalidSpec(raw, `invalid value for ${key}: ${value}`);
        readOnly = value === undefined || value === 'true' || value === '1';
        break;
      case 'volume-nocopy':
        break;
      default:
        throw invalidSpec(raw, `unexpected key '${key}'`);
    }
  }
  if (type === 'bind') refuseBind(source ?? raw);
  if (type !== 'volume') throw invalidSpec(raw, `mount type "${type}" is not supported here: only volumes are`);
  if (target === undefined || target === '') throw invalidSpec(raw, 'target is required');
  if (source !== undefined && source !== '' && hostPath(source)) refuseBind(source);
  return {
    name: source === undefined || source === '' ? undefined : checkVolumeName(source),
    destination: mountDestination(raw, target),
    readOnly,
    mode: '',
  };
}
