import { UnknownUser } from '../../src/engine/errors.js';
import { readFileInScope } from './beneath.js';

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

/**
 * Docker's `--user` forms — `name`, `uid`, `name:group`, `uid:gid` — resolved against the
 * container's own /etc/passwd and /etc/group (the OCI spec takes numbers only; Docker
 * resolves names in the daemon from the rootfs, as here). A uid without a passwd entry
 * is allowed with gid 0; a name without one is an error.
 */
export async function resolveUser(user: string | undefined, rootfs: string): Promise<OciUser> {
  const [u = '', g] = (user ?? '').split(':', 2);
  const passwd = await table(rootfs, 'etc/passwd');
  const groups = await table(rootfs, 'etc/group');
  let uid = 0;
  let gid = 0;
  let name: string | undefined = 'root';
  if (u !== '') {
    const entry = /^\d+$/.test(u) ? passwd.find((f) => f[2] === u) : passwd.find((f) => f[0] === u);
    if (!entry && !/^\d+$/.test(u)) throw new UnknownUser(`unable to find user ${u}: no matching entries in passwd file`, { user: u });
    uid = entry ? Number(entry[2]) : Number(u);
    gid = entry ? Number(entry[3]) : 0;
    name = entry?.[0];
  }
  if (g !== undefined && g !== '') {
    const entry = /^\d+$/.test(g) ? undefined : groups.find((f) => f[0] === g);
    if (!entry && !/^\d+$/.test(g)) throw new UnknownUser(`unable to find group ${g}: no matching entries in group file`, { group: g });
    gid = entry ? Number(entry[2]) : Number(g);
  }
  // runc libcontainer/user GetExecUser: supplementary groups are the groups listing the
  // user by name, and only when no group was given ("only make sense in the implicit form").
  const implicit = g === undefined || g === '';
  const sgids = implicit && name !== undefined ? groups.filter((f) => (f[3] ?? '').split(',').includes(name)).map((f) => Number(f[2])) : [];
  // moby daemon/oci_linux.go getUser: the primary gid is always the first additional gid
  // (so `id` shows `groups=0(root),10(wheel)`), then those.
  return { uid, gid, additionalGids: [gid, ...sgids] };
}

/** A passwd/group file's records. Read as the container sees it, but never out of it: a
 * symlink in the rootfs is followed within the rootfs (beneath.ts), as Docker does. */
async function table(rootfs: string, path: string): Promise<string[][]> {
  const bytes = await readFileInScope(rootfs, path);
  if (!bytes) return [];
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}
