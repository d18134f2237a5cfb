/**
 * One line of `/proc/<pid>/mountinfo` (proc(5)):
 * `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`
 * — mount ID, parent ID, major:minor, root, mount point, per-mount options, optional
 * fields up to `-`, then the filesystem type, the source and the superblock's options.
 */
export interface MountInfoLine {
  mountPoint: string;
  mountOptions: string[];
  fsType: string;
  source: string;
  /** The filesystem's own options: overlayfs's lowerdir, upperdir, workdir are here. */
  superOptions: string[];
}

/** proc(5): space, tab, newline and backslash in a field are written as octal escapes (`\040`). */
function unescapeField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMountInfoLine(line: string): MountInfoLine | null {
  const fields = line.trim().split(' ');
  const dash = fields.indexOf('-', 6);
  if (fields.length < 10 || dash < 0 || dash + 3 > fields.length) return null;
  return {
    mountPoint: unescapeField(fields[4]!),
    mountOptions: fields[5]!.split(','),
    fsType: fields[dash + 1]!,
    source: unescapeField(fields[dash + 2]!),
    superOptions: (fields[dash + 3] ?? '')
      .split(',')
      .filter((o) => o !== '')
      .map(unescapeField),
  };
}

/** The line whose mount point is `mountPoint`; the last one, since a later mount over a point hides the earlier. */
export function findMountInfoLine(mountinfo: string, mountPoint: string): string | null {
  let found: string | null = null;
  for (const line of mountinfo.split('\n')) {
    if (parseMountInfoLine(line)?.mountPoint === mountPoint) found = line;
  }
  return found;
}
