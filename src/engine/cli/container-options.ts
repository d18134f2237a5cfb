import type { CreateContainerOptions } from '../containers/new-container.js';
import { envFlag } from '../containers/process-args.js';
import type { ImageRecord } from '../images/image-store.js';
import { bool, int, list, str, type FlagSpec, type ParsedArgs } from './flags.js';
import type { CommandContext } from './command.js';

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
  // Docker has these; Layerlab cannot honour them yet, so they are refused by name
  // (unsupportedOption) and not offered by Tab.
  { long: 'publish', short: 'p', type: 'list', hidden: true },
  { long: 'volume', short: 'v', type: 'list', hidden: true },
];

/** Options that parse but that Layerlab cannot honour: refused by name. */
export function unsupportedOption(parsed: ParsedArgs): string | undefined {
  const network = str(parsed, 'network');
  // Layerlab containers have loopback only, which is Docker's `none` network.
  if (network !== undefined && network !== 'none') return `--network ${network}`;
  // No port reaches a container from outside, and no host directory is shared into one.
  const publish = list(parsed, 'publish')[0];
  if (publish !== undefined) return `--publish (-p) ${publish}`;
  const volume = list(parsed, 'volume')[0];
  if (volume !== undefined) return `--volume (-v) ${volume}`;
  return undefined;
}

export function createOptions(ctx: CommandContext, parsed: ParsedArgs, imageRef: string, image: ImageRecord): CreateContainerOptions {
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
  };
}
