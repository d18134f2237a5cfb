import type { CreateContainerOptions } from '../containers/new-container.js';
import { envFlag } from '../containers/process-args.js';
import type { ImageRecord } from '../images/image-store.js';
import { bool, int, list, str, type FlagSpec, type ParsedArgs } from './flags.js';
import type { CommandContext } from './command.js';
import { EngineError } from '../errors.js';
import { parseMountFlag, parseVolumeFlag, type MountRequest } from '../volumes/mount-request.js';
import { BindMountRefused, ReservedMountPath } from '../volumes/volume-errors.js';
import { runDaemonError } from './run-errors.js';

/** The `docker run`/`docker create` flags Layerlab implements. */
export const CONTAINER_FLAGS: FlagSpec[] = [
  { long: 'interactive', short: 'i', type: 'bool' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'rm', type: 'bool' },
  { long: 'name', type: 'string' },
  { long: 'env', short: 'e', type: 'list' },
  { long: 'workdir', short: 'w', type: 'string' },
  { long: 'hostname', short: 'h', type: 'string' },
  { long: 'user', short: 'u', type: 'string' },
  { long: 'entrypoint', type: 'string' },
  { long: 'label', short: 'l', type: 'list' },
  { long: 'memory', short: 'm', type: 'bytes' },
  { long: 'memory-swap', type: 'swapbytes' },
  { long: 'pids-limit', type: 'int' },
  { long: 'cpus', type: 'decimal' },
  { long: 'network', type: 'string' },
  { long: 'pull', type: 'string' },
  { long: 'volume', short: 'v', type: 'list' },
  { long: 'mount', type: 'list' },
  // Docker has these; Layerlab cannot honour them yet, so they are refused by name
  // (unsupportedOption) and not offered by Tab.
  { long: 'publish', short: 'p', type: 'list', hidden: true },
];

/** Options that parse but that Layerlab cannot honour: refused by name. */
export function unsupportedOption(parsed: ParsedArgs): string | undefined {
  const network = str(parsed, 'network');
  // Layerlab containers have loopback only, which is Docker's `none` network.
  if (network !== undefined && network !== 'none') return `--network ${network}`;
  // No port reaches a container from outside.
  const publish = list(parsed, 'publish')[0];
  if (publish !== undefined) return `--publish (-p) ${publish}`;
  return undefined;
}

/**
 * The volumes `-v` and `--mount` ask for, or the exit code once refused: a host directory or
 * a path the runtime mounts itself is Layerlab's own refusal (`layerlab:`), a spec Docker
 * refuses is Docker's daemon error.
 */
export function volumeRequests(ctx: CommandContext, parsed: ParsedArgs): MountRequest[] | number {
  try {
    return [...list(parsed, 'volume').map(parseVolumeFlag), ...list(parsed, 'mount').map(parseMountFlag)];
  } catch (err) {
    if (err instanceof BindMountRefused || err instanceof ReservedMountPath) {
      ctx.fail(err);
      ctx.err(`layerlab: ${err.message}\n`);
      return 125;
    }
    if (err instanceof EngineError) return runDaemonError(ctx, err);
    throw err;
  }
}

export function createOptions(
  ctx: CommandContext,
  parsed: ParsedArgs,
  imageRef: string,
  image: ImageRecord,
  volumes: MountRequest[] = [],
): CreateContainerOptions {
  const env: string[] = [];
  for (const e of list(parsed, 'env')) {
    const entry = envFlag(e, ctx.opts.env);
    if (entry !== undefined) env.push(entry);
  }
  const labels: Record<string, string> = {};
  for (const l of list(parsed, 'label')) {
    const eq = l.indexOf('=');
    labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
  }
  return {
    imageRef,
    image,
    name: str(parsed, 'name'),
    args: parsed.args.slice(1),
    entrypoint: str(parsed, 'entrypoint'),
    env,
    workdir: str(parsed, 'workdir'),
    hostname: str(parsed, 'hostname'),
    user: str(parsed, 'user'),
    tty: bool(parsed, 'tty'),
    openStdin: bool(parsed, 'interactive'),
    autoRemove: bool(parsed, 'rm'),
    memory: int(parsed, 'memory'),
    memorySwap: int(parsed, 'memory-swap'),
    pidsLimit: int(parsed, 'pids-limit'),
    nanoCpus: int(parsed, 'cpus'),
    labels,
    volumes,
  };
}
