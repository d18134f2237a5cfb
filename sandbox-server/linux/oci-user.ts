import { resolveProcessUser } from '../../src/engine/containers/process-user.js';
import { readFileInScope } from './beneath.js';

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

/**
 * `--user` resolved against the container's own /etc/passwd and /etc/group, by the
 * engine's one rule (containers/process-user.ts), for the OCI spec's numbers.
 */
export async function resolveUser(user: string | undefined, rootfs: string): Promise<OciUser> {
  return resolveProcessUser(user, await text(rootfs, 'etc/passwd'), await text(rootfs, 'etc/group'));
}

/** A passwd/group file as the container sees it, but never out of it: a symlink in the
 * rootfs is followed within the rootfs (beneath.ts), as Docker does. */
async function text(rootfs: string, path: string): Promise<string | undefined> {
  const bytes = await readFileInScope(rootfs, path);
  return bytes ? new TextDecoder().decode(bytes) : undefined;
}
