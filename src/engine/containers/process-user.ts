import { UnknownUser } from '../errors.js';

/** The ids a container's process runs with: the OCI spec's `process.user`. */
export interface ProcessUser {
  uid: number;
  gid: number;
  /** The process's supplementary groups (setgroups), the primary gid first. */
  additionalGids: number[];
}

/**
 * Docker's `--user` forms — `name`, `uid`, `name:group`, `uid:gid` — resolved against the
 * container's own /etc/passwd and /etc/group (`undefined`: the file is missing). The OCI
 * spec takes numbers only, so Docker resolves names in the daemon from the rootfs; both
 * backends do it here, so `id` says the same on each. A uid without a passwd entry is
 * allowed with gid 0; a name without one is an error.
 */
export function resolveProcessUser(user: string | undefined, passwdText: string | undefined, groupText: string | undefined): ProcessUser {
  const [u = '', g] = (user ?? '').split(':', 2);
  const passwd = records(passwdText);
  const groups = records(groupText);
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

/** A passwd or group file's records, comment and blank lines left out. */
function records(text: string | undefined): string[][] {
  if (text === undefined) return [];
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'));
}
