import { existsSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SandboxProbe {
  available: boolean;
  /** Each prerequisite that is missing, in words a user can act on. */
  missing: string[];
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

/**
 * Can this machine run real containers? Linux, root, overlayfs and an OCI runtime
 * whose `--version` answers. (Whether the runtime can actually start a container on
 * this host's cgroups is decided by the runtime driver's own detection.)
 */
export async function probeSandbox(): Promise<SandboxProbe> {
  const missing: string[] = [];
  if (process.platform !== 'linux') {
    return { available: false, missing: [`Linux (this machine runs ${process.platform})`], runtime: null };
  }
  if (process.getuid?.() !== 0) missing.push('root (start it as root: sudo npm start)');
  const filesystems = existsSync('/proc/filesystems') ? readFileSync('/proc/filesystems', 'utf8') : '';
  if (!/\toverlay$/m.test(filesystems)) missing.push('overlayfs (modprobe overlay)');
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
  if (!runtime) missing.push('an OCI runtime (apt-get install runc)');
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) missing.push('busybox-static (apt-get install busybox-static)');
  return { available: missing.length === 0, missing, runtime };
}
