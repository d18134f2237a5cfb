import { BuildError } from './build-errors.js';
import type { RootfsView } from './rootfs-view.js';

/**
 * `--chown=user[:group]` as BuildKit resolves it: numbers as they are; names through the
 * image's /etc/passwd and /etc/group; a user without a group takes the user's primary
 * group (numeric user alone: gid = uid).
 */
export function resolveOwner(spec: string, image: RootfsView): { uid: number; gid: number } {
  const [user = '', group] = spec.split(':');
  const passwd = table(image, '/etc/passwd');
  const lookupUser = (name: string): { uid: number; gid: number } => {
    if (/^\d+$/.test(name)) return { uid: Number(name), gid: Number(name) };
    const row = passwd.find((r) => r[0] === name);
    if (!row) throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${name}: no such user: ${name}`);
    return { uid: Number(row[2]), gid: Number(row[3]) };
  };
  const owner = lookupUser(user);
  if (group === undefined || group === '') return owner;
  if (/^\d+$/.test(group)) return { uid: owner.uid, gid: Number(group) };
  const row = table(image, '/etc/group').find((r) => r[0] === group);
  if (!row)
    throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${group}: no such group: ${group}`);
  return { uid: owner.uid, gid: Number(row[2]) };
}

function table(image: RootfsView, path: string): string[][] {
  const entry = image.resolve(path);
  if (entry?.kind !== 'file' || entry.content.type !== 'bytes') return [];
  return new TextDecoder()
    .decode(entry.content.bytes)
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}
