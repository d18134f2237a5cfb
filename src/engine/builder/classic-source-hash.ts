import { Sha256, sha256Hex, toHex } from '../sha256.js';
import type { Change } from '../layer/change.js';
import { normalise, type RootfsView } from './rootfs-view.js';

/**
 * The classic builder's name for COPY/ADD sources in history (`COPY file:<hex> in /dst`),
 * as moby's builder/dockerfile copier computes it: one file is `file:` + its tarsum-v1
 * hash, a directory `dir:` + sha256 of its entries' hashes (sorted, comma-joined), several
 * sources `multi:` + sha256 of theirs. Undefined when a source is not a plain path (a
 * wildcard, a URL), for the caller to name otherwise.
 */
export function classicSourceHash(sources: readonly string[], from: RootfsView, fromContext: boolean): string | undefined {
  const hashes: string[] = [];
  for (const src of sources) {
    const path = normalise(`/${src}`);
    const entry = from.resolve(path);
    if (!entry || /[*?[]/.test(src)) return undefined;
    if (entry.kind !== 'dir') {
      const h = tarsum(path, entry, fromContext);
      if (h === undefined) return undefined;
      hashes.push(`file:${h}`);
      continue;
    }
    const subfiles: string[] = [];
    for (const c of from.under(path)) {
      if (c.path === path) continue;
      const h = tarsum(c.path, c, fromContext);
      if (h === undefined) return undefined;
      subfiles.push(h);
    }
    hashes.push(`dir:${hexOf(subfiles.sort().join(','))}`);
  }
  return hashes.length === 1 ? hashes[0] : `multi:${hexOf(hashes.join(','))}`;
}

const TYPE_BITS = { file: 0o100000, dir: 0o040000, symlink: 0o120000 } as const;
const TYPE_FLAG = { file: '0', dir: '5', symlink: '2' } as const;

/**
 * tarsum v1 of one entry (docker/pkg/tarsum `WriteV1Header` then the content): the tar
 * header's name, mode, uid, gid, size, typeflag, linkname, uname, gname, devmajor and
 * devminor, each written as key then value, mtime left out. A context file's header is
 * the one the CLI sent (permission bits only, no user names); a file from an image or
 * stage gets Go's FileInfoHeader (type bits in the mode, names looked up on the daemon).
 */
function tarsum(path: string, c: Change, fromContext: boolean): string | undefined {
  if (c.kind === 'whiteout') return undefined;
  if (c.kind === 'file' && c.content.type !== 'bytes') return undefined;
  const rel = path.slice(1);
  const name = fromContext && c.kind === 'dir' ? `${rel}/` : rel;
  const mode = fromContext ? c.mode : c.mode | TYPE_BITS[c.kind];
  const owner = (id: number) => (fromContext ? '' : id === 0 ? 'root' : '');
  const size = c.kind === 'file' && c.content.type === 'bytes' ? c.content.bytes.length : 0;
  const header = [
    ['name', name],
    ['mode', String(mode)],
    ['uid', String(c.uid)],
    ['gid', String(c.gid)],
    ['size', String(size)],
    ['typeflag', TYPE_FLAG[c.kind]],
    ['linkname', c.kind === 'symlink' ? c.target : ''],
    ['uname', owner(c.uid)],
    ['gname', owner(c.gid)],
    ['devmajor', '0'],
    ['devminor', '0'],
  ]
    .map(([k, v]) => `${k}${v}`)
    .join('');
  const h = new Sha256().update(new TextEncoder().encode(header));
  if (c.kind === 'file' && c.content.type === 'bytes') h.update(c.content.bytes);
  return toHex(h.digest());
}

function hexOf(text: string): string {
  return sha256Hex(text);
}
