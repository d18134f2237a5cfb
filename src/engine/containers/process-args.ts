import type { ContainerConfig } from '../images/image-config.js';
import { NoCommandSpecified } from './container-errors.js';

export interface ResolvedCommand {
  entrypoint: string[] | null;
  cmd: string[] | null;
  argv: string[];
}

/**
 * Docker's command resolution: `--entrypoint` replaces the image's ENTRYPOINT and
 * drops its CMD; arguments after the image replace CMD; argv = ENTRYPOINT ++ CMD.
 */
export function resolveCommand(image: ContainerConfig, args: readonly string[], entrypointFlag: string | undefined): ResolvedCommand {
  let entrypoint = image.Entrypoint ?? null;
  let cmd = image.Cmd ?? null;
  if (entrypointFlag !== undefined) {
    // Docker: `--entrypoint ""` resets the entrypoint; a new entrypoint resets an inherited CMD.
    entrypoint = entrypointFlag === '' ? null : [entrypointFlag];
    cmd = null;
  }
  if (args.length > 0) cmd = [...args];
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) throw new NoCommandSpecified('no command specified');
  return { entrypoint, cmd, argv };
}

/** `KEY=value` list with later entries replacing earlier ones of the same key
 * (moby `opts.ReplaceOrAppendEnvValues`); `KEY` alone takes nothing. */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  for (const entry of overrides) {
    const key = entry.split('=', 1)[0]!;
    const i = out.findIndex((e) => e.split('=', 1)[0] === key);
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  return out;
}

/** moby `oci.DefaultPathEnv`: the PATH the daemon gives a process whose image sets none (and busybox's image sets). */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment the process gets: Docker's daemon puts PATH, HOSTNAME (and TERM
 * with a tty) first, then the container's Env; the OCI spec adds HOME. */
export function processEnv(configEnv: readonly string[], hostname: string, tty: boolean): string[] {
  const daemon = [`PATH=${DEFAULT_PATH}`, `HOSTNAME=${hostname}`];
  if (tty) daemon.push('TERM=xterm');
  const env = mergeEnv(daemon, configEnv);
  if (!env.some((e) => e.startsWith('HOME='))) env.push('HOME=/root');
  return env;
}

/** `docker run -e KEY` takes KEY's value from the CLI's environment, or drops it. */
export function envFlag(entry: string, cliEnv: Record<string, string> | undefined): string | undefined {
  if (entry.includes('=')) return entry;
  const value = cliEnv?.[entry];
  return value === undefined ? undefined : `${entry}=${value}`;
}
