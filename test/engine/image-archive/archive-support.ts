import { readArchive, writeArchive, type ArchiveEntry } from '../../../src/engine/image-archive/archive-tar.js';

const decoder = new TextDecoder();

/** Every file of an archive by path, for looking inside a saved tar. */
export async function archiveJson<T>(tar: Uint8Array, path: string): Promise<T> {
  const bytes = await readArchive(tar).read(path);
  if (!bytes) throw new Error(`no ${path} in the archive`);
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** The archive with one file replaced (or removed, with `undefined`). */
export function rewriteArchive(entries: readonly ArchiveEntry[], path: string, bytes: Uint8Array | undefined): Uint8Array {
  return writeArchive(entries.flatMap((e) => (e.path !== path ? [e] : bytes ? [{ ...e, bytes }] : [])));
}

/** The entries of a tar written by `writeArchive` (files and dirs, in order). */
export function archiveEntries(tar: Uint8Array): ArchiveEntry[] {
  const out: ArchiveEntry[] = [];
  let pos = 0;
  while (pos + 512 <= tar.length && tar.subarray(pos, pos + 512).some((b) => b !== 0)) {
    const h = tar.subarray(pos, pos + 512);
    const name = decoder.decode(h.subarray(0, 100)).replace(/\0.*$/s, '');
    const size = parseInt(decoder.decode(h.subarray(124, 136)).replace(/\0.*$/s, '').trim() || '0', 8);
    const mtime = parseInt(decoder.decode(h.subarray(136, 148)).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    pos += 512;
    out.push(type === '5' ? { path: name.replace(/\/$/, ''), mtime } : { path: name, bytes: tar.slice(pos, pos + size), mtime });
    pos += Math.ceil(size / 512) * 512;
  }
  return out;
}
