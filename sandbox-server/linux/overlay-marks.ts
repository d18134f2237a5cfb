import { isNotThere, openDirBeneath, type BeneathDir } from './beneath.js';
import { runCommand } from './command.js';

/**
 * overlayfs keeps two marks in an upper directory that plain Node can not read or
 * write: a whiteout is a 0/0 character device (mknod), an opaque directory carries the
 * xattr `trusted.overlay.opaque=y`. GNU tar (Essential in Debian, so always present)
 * reads and writes both, so it is our mknod/getfattr/setfattr without native addons
 * or the `attr` package: POSIX tar's `SCHILY.xattr.*` records carry the xattrs.
 */
export const OPAQUE_XATTR = 'trusted.overlay.opaque';

const TAR_XATTR_FLAGS = ['--xattrs', '--xattrs-include=trusted.overlay.*'];

/** Directories handed to one tar run as its fds 3, 4, … (well under any fd limit). */
const FDS_PER_RUN = 64;

/**
 * tar never gets a learner's path to resolve: each directory is opened by the server
 * beneath `root` (beneath.ts) and passed as an open descriptor, and tar runs in
 * `/proc/self/fd` with member names `<fd>/<name>` — `<fd>` is that directory, `<name>` a
 * single component tar does not follow (a whiteout is made with mknodat, an xattr read
 * with lgetxattr).
 */
async function withDirFds<T>(
  root: string,
  dirs: readonly string[],
  fn: (fdOf: (i: number) => number, fds: number[], opened: readonly string[]) => Promise<T>,
  skipMissing = false,
): Promise<T> {
  const opened: { dir: string; fd: BeneathDir }[] = [];
  try {
    for (const dir of dirs) {
      try {
        opened.push({ dir, fd: await openDirBeneath(root, dir === '' ? [] : dir.split('/')) });
      } catch (error) {
        // A running container may have removed a dir (or swapped it for a link) since the
        // walk saw it: such a dir is no longer there to be opaque.
        if (!(skipMissing && isNotThere(error))) throw error;
      }
    }
    return await fn(
      (i) => 3 + i,
      opened.map((d) => d.fd.fd),
      opened.map((d) => d.dir),
    );
  } finally {
    for (const d of opened) await d.fd.close();
  }
}

/** Which of `dirs` (paths relative to `root`) are opaque. One tar run per 64 of them. */
export async function readOpaqueDirs(root: string, dirs: readonly string[]): Promise<Set<string>> {
  const opaque = new Set<string>();
  for (let i = 0; i < dirs.length; i += FDS_PER_RUN) {
    await withDirFds(
      root,
      dirs.slice(i, i + FDS_PER_RUN),
      async (fdOf, fds, opened) => {
        if (opened.length === 0) return;
        // GNU tar: exit 1 is "some files differ" — a running container changed a dir as tar read it.
        const args = [
          '--create',
          '--no-recursion',
          '--format=posix',
          '--warning=no-file-changed',
          ...TAR_XATTR_FLAGS,
          '-f',
          '-',
          '-C',
          '/proc/self/fd',
          ...opened.map((_, j) => `${fdOf(j)}/.`),
        ];
        const { stdout } = await runCommand('tar', args, { fds, ok: [0, 1] });
        for (const entry of parseTarHeaders(stdout)) {
          const value = entry.pax[`SCHILY.xattr.${OPAQUE_XATTR}`];
          const dir = opened[Number(entry.path.split('/')[0]) - 3];
          // overlayfs: "y" marks an opaque dir (kernel 6.7+ also uses "x" for dirs that only
          // *contain* xattr whiteouts, which is not opaque).
          if (value === 'y' && dir !== undefined) opaque.add(dir);
        }
      },
      true,
    );
  }
  return opaque;
}

export type OverlayMark = { kind: 'whiteout'; path: string } | { kind: 'opaque'; path: string; mode: number; uid: number; gid: number };

/** Creates whiteouts and marks directories opaque under `root` (paths relative to it). */
export async function writeOverlayMarks(root: string, marks: readonly OverlayMark[]): Promise<void> {
  const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
  const parents = [...new Set(marks.map((m) => parentOf(m.path)))];
  for (let i = 0; i < parents.length; i += FDS_PER_RUN) {
    const chunk = parents.slice(i, i + FDS_PER_RUN);
    await withDirFds(root, chunk, async (fdOf, fds) => {
      const blocks: Buffer[] = [];
      for (const mark of marks) {
        const j = chunk.indexOf(parentOf(mark.path));
        if (j < 0) continue;
        const name = `${fdOf(j)}/${mark.path.slice(mark.path.lastIndexOf('/') + 1)}`;
        const pax: Record<string, string> = { path: name };
        if (mark.kind === 'opaque') pax[`SCHILY.xattr.${OPAQUE_XATTR}`] = 'y';
        blocks.push(...paxHeader(pax));
        blocks.push(
          mark.kind === 'whiteout'
            ? ustarHeader({ path: name, type: '3', mode: 0, uid: 0, gid: 0 })
            : ustarHeader({ path: name, type: '5', mode: mark.mode, uid: mark.uid, gid: mark.gid }),
        );
      }
      blocks.push(Buffer.alloc(1024));
      await runCommand(
        'tar',
        ['--extract', ...TAR_XATTR_FLAGS, '--numeric-owner', '--same-owner', '--same-permissions', '-C', '/proc/self/fd', '-f', '-'],
        {
          input: Buffer.concat(blocks),
          fds,
        },
      );
    });
  }
}

interface TarHeader {
  path: string;
  type: string;
  pax: Record<string, string>;
}

function parseTarHeaders(tar: Buffer): TarHeader[] {
  const out: TarHeader[] = [];
  let pax: Record<string, string> = {};
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(field(h, 124, 12) || '0', 8);
    const type = String.fromCharCode(h[156] ?? 48);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      pax = { ...pax, ...parsePax(body) };
      continue;
    }
    const prefix = field(h, 345, 155);
    const name = field(h, 0, 100);
    out.push({ path: pax.path ?? (prefix ? `${prefix}/${name}` : name), type, pax });
    pax = {};
  }
  return out;
}

function field(h: Buffer, start: number, len: number): string {
  const raw = h.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw
    .subarray(0, end < 0 ? len : end)
    .toString('utf8')
    .trim();
}

function parsePax(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  for (let off = 0; off < body.length;) {
    const space = body.indexOf(0x20, off);
    if (space < 0) break;
    const len = parseInt(body.subarray(off, space).toString('ascii'), 10);
    if (!(len > 0)) break;
    const record = body.subarray(space + 1, off + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    records[record.slice(0, eq)] = record.slice(eq + 1);
    off += len;
  }
  return records;
}

function paxHeader(records: Record<string, string>): Buffer[] {
  const body = Buffer.concat(
    Object.entries(records).map(([k, v]) => {
      const rest = ` ${k}=${v}\n`;
      // POSIX pax: the length prefix counts its own digits.
      let len = Buffer.byteLength(rest) + 1;
      while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
      return Buffer.from(`${len}${rest}`);
    }),
  );
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return [ustarHeader({ path: 'PaxHeader', type: 'x', mode: 0o644, uid: 0, gid: 0, size: body.length }), padded];
}

function ustarHeader(e: { path: string; type: string; mode: number; uid: number; gid: number; size?: number }): Buffer {
  const h = Buffer.alloc(512);
  const octal = (value: number, start: number, len: number) => h.write(value.toString(8).padStart(len - 1, '0') + '\0', start, len, 'ascii');
  // The real name travels in the pax record; this one only has to fit.
  h.write(Buffer.from(e.path).subarray(0, 100).toString('latin1'), 0, 100, 'latin1');
  octal(e.mode, 100, 8);
  octal(e.uid, 108, 8);
  octal(e.gid, 116, 8);
  octal(e.size ?? 0, 124, 12);
  octal(0, 136, 12);
  h.write(e.type, 156, 1, 'ascii');
  h.write('ustar\0' + '00', 257, 8, 'ascii');
  octal(0, 329, 8);
  octal(0, 337, 8);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}
