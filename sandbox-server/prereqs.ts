import { existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { registryBinary } from './linux/registry-process.js';

const run = promisify(execFile);

/**
 * Why this server runs no real containers, as `/api/health` says it (`sandbox.missing[].code`):
 * stable codes the page words in its own language (src/i18n `backend.missing.<code>`; a test
 * checks every code has ko and en words), beside the English `reason` for API clients and logs.
 */
export const SANDBOX_MISSING_CODES = [
  'SANDBOX_OFF',
  'NOT_LINUX',
  'NOT_ROOT',
  'NO_OVERLAYFS',
  'NO_OCI_RUNTIME',
  'NO_BUSYBOX',
  'RUNTIME_FAILED',
  // The registry alone: the sandbox runs, `docker push` and `docker pull` are refused.
  'NO_REGISTRY',
  'REGISTRY_FAILED',
] as const;
export type SandboxMissingCode = (typeof SANDBOX_MISSING_CODES)[number];

export interface SandboxMissing {
  code: SandboxMissingCode;
  /** In words a user can act on (English: the server's log and API clients read it). */
  reason: string;
}

export interface SandboxProbe {
  available: boolean;
  /** Each prerequisite that is missing. */
  missing: SandboxMissing[];
  /** The OCI runtime that answered, when one did. */
  runtime: string | null;
}

async function which(cmd: string): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${cmd}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/** Whether the sandbox's registry can run (Debian's docker-registry); without it the rest of the sandbox still works. */
export function probeRegistry(): SandboxMissing | undefined {
  return registryBinary() ? undefined : { code: 'NO_REGISTRY', reason: 'docker-registry for docker push and pull (apt-get install docker-registry)' };
}

/**
 * Can this machine run real containers? Linux, root, overlayfs and an OCI runtime
 * whose `--version` answers. (Whether the runtime can actually start a container on
 * this host's cgroups is decided by the runtime driver's own detection.)
 */
export async function probeSandbox(): Promise<SandboxProbe> {
  const missing: SandboxMissing[] = [];
  if (process.platform !== 'linux') {
    return { available: false, missing: [{ code: 'NOT_LINUX', reason: `Linux (this machine runs ${process.platform})` }], runtime: null };
  }
  if (process.getuid?.() !== 0) missing.push({ code: 'NOT_ROOT', reason: 'root (start it as root: sudo npm start)' });
  const filesystems = existsSync('/proc/filesystems') ? readFileSync('/proc/filesystems', 'utf8') : '';
  if (!/\toverlay$/m.test(filesystems)) missing.push({ code: 'NO_OVERLAYFS', reason: 'overlayfs (modprobe overlay)' });
  let runtime: string | null = null;
  for (const name of ['runc', 'crun']) {
    const path = await which(name);
    if (path) {
      try {
        await run(path, ['--version']);
        runtime = path;
        break;
      } catch {
        // try the next runtime
      }
    }
  }
  if (!runtime) missing.push({ code: 'NO_OCI_RUNTIME', reason: 'an OCI runtime (apt-get install runc)' });
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) {
    missing.push({ code: 'NO_BUSYBOX', reason: 'busybox-static (apt-get install busybox-static)' });
  }
  return { available: missing.length === 0, missing, runtime };
}
