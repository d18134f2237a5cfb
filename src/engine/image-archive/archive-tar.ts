import { BLOCK, decodeHeader, decodePaxRecords, encodeHeader, isZeroBlock } from '../layer/tar-header.js';
import { SLICE_BYTES } from '../digest-stream.js';
import { concatBytes } from '../format/concat-bytes.js';
import { runAtOnce, SliceBudget } from '../loop-slices.js';
import { bytesReader } from '../drivers/bytes-reader.js';
import { contentBytes, contentSize, exactChunks, type FileContent } from '../layer/change.js';
import { TAR_META_MAX } from '../layer/tar.js';
import { overBytes, overRanges, type TarSteps } from '../layer/tar-source.js';
import { InvalidArchive } from './archive-errors.js';

/** Content read only when the archive reaches it (a layer from the content store), of a
 * size known before: the tar header comes first. */
export interface ChunkSource {
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
}

/** One file of an image archive — its bytes, or a `source` streamed in — or a directory
 * (neither), path relative with `/`. */
export interface ArchiveEntry {
  path: string;
  bytes?: Uint8Array;
  source?: ChunkSource;
  /** Seconds since the epoch. */
  mtime: number;
}

/**
 * The outer tar of `docker save`: what moby's `archive.Tar` makes of the export dir —
 * directories `0755` with a trailing `/`, files `0644`, root-owned, ustar headers, entries
 * in the order given (the caller sorts them as a directory walk would) — a piece at a time:
 * a layer's bytes pass through as its source gives them, so no layer is ever held whole.
 */
export async function* archiveChunks(entries: readonly ArchiveEntry[]): AsyncGenerator<Uint8Array> {
  for (const e of entries) {
    const size = e.source?.size ?? e.bytes?.length ?? 0;
    yield entryHeader(e, size);
    if (e.bytes) yield e.bytes;
    else if (e.source) {
      let seen = 0;
      for await (const c of e.source.chunks()) {
        seen += c.length;
        if (seen > size) break;
        yield c;
      }
      // The header promised `size` bytes: a blob that changed under the save is an error, not a torn tar.
      if (seen !== size)
        throw new InvalidArchive(`${e.path} changed size while it was written: expected ${size} bytes, got ${seen}`, { path: e.path });
    }
    const pad = padding(size);
    if (pad) yield pad;
  }
  yield new Uint8Array(BLOCK * 2);
}

/** `archiveChunks` of entries held in memory (`bytes` only), as one array. */
export function writeArchive(entries: readonly ArchiveEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const e of entries) {
    if (e.source) throw new InvalidArchive('a streamed entry cannot be written at once', { path: e.path });
    const size = e.bytes?.length ?? 0;
    chunks.push(entryHeader(e, size));
    if (e.bytes) chunks.push(e.bytes);
    const pad = padding(size);
    if (pad) chunks.push(pad);
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  return concatBytes(chunks);
}

function entryHeader(e: ArchiveEntry, size: number): Uint8Array {
  const dir = e.bytes === undefined && e.source === undefined;
  const name = dir ? `${e.path.replace(/\/$/, '')}/` : e.path;
  // Every name an image archive holds (`blobs/sha256/<64 hex>`) fits ustar's 100 bytes.
  if (new TextEncoder().encode(name).length > 100) throw new InvalidArchive('archive entry name too long', { path: name });
  return encodeHeader({ name, mode: dir ? 0o755 : 0o644, uid: 0, gid: 0, size, mtime: e.mtime, type: dir ? '5' : '0', linkname: '' });
}

function padding(size: number): Uint8Array | undefined {
  const pad = (BLOCK - (size % BLOCK)) % BLOCK;
  return pad ? new Uint8Array(pad) : undefined;
}

/** The files of an archive or layout, by relative path. */
export interface ArchiveFiles {
  /** A file's bytes, whole: a JSON document, once its size is known to be small. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** A file's size, known before it is read (a JSON document is refused past its bound by it). */
  size(path: string): Promise<number | undefined>;
  /** A file by chunks, never held whole (a layer). */
  open(path: string): Promise<ChunkSource | undefined>;
}

/** An archive's files, and their paths in archive order. */
export interface TarFiles extends ArchiveFiles {
  paths: string[];
}

/** A tar read by ranges: its size, and a range of it by chunks. */
export interface RangedTar {
  size: number;
  chunks(range: { offset: number; length: number }): AsyncIterable<Uint8Array>;
}

/**
 * Reads an image archive held in memory: its regular files and symlinks (pre-1.10 `docker
 * save` links a repeated layer as `../<id>/layer.tar`). ustar, PAX and GNU long names are
 * accepted. A file's bytes are views of the archive.
 */
export function readArchive(bytes: Uint8Array): TarFiles {
  return archiveFiles(runAtOnce(overBytes(bytes, archiveSteps())));
}

/** `readArchive` of an archive read by ranges (`docker load -i` from the workspace): the
 * headers are scanned, a file's content passed over by its offset and read only when it
 * is wanted, so an archive of any size is indexed holding a chunk; a turn of the event loop
 * every slice of entries. */
export async function indexArchive(tar: RangedTar): Promise<TarFiles> {
  return archiveFiles(await overRanges(tar.size, (offset, length) => tar.chunks({ offset, length }), archiveSteps()));
}

interface ArchiveIndex {
  files: Map<string, FileContent>;
  links: Map<string, string>;
}

function* archiveSteps(): TarSteps<ArchiveIndex> {
  const budget = new SliceBudget(SLICE_BYTES);
  const files = new Map<string, FileContent>();
  const links = new Map<string, string>();
  let pos = 0;
  let longName: string | undefined;
  let pax: Map<string, string> | undefined;
  let ended = false;
  for (;;) {
    const block = (yield { read: BLOCK }) as Uint8Array;
    if (block.length < BLOCK) break;
    if (isZeroBlock(block)) {
      ended = true;
      break;
    }
    let h;
    try {
      h = decodeHeader(block, pos);
    } catch (err) {
      throw new InvalidArchive(`archive/tar: invalid tar header (${(err as Error).message})`, { offset: pos });
    }
    pos += BLOCK;
    const size = h.type === '5' || h.type === '2' || h.type === '1' ? 0 : Number(pax?.get('size') ?? h.size);
    const meta = h.type === 'x' || h.type === 'L';
    let data: Uint8Array | undefined;
    let content: FileContent | undefined;
    if (meta) {
      // archive/tar: ErrFieldTooLong — a metadata body is held to be decoded, so it is bounded.
      if (size > TAR_META_MAX) throw new InvalidArchive('archive/tar: header field too long', { offset: pos - BLOCK });
      data = (yield { read: size }) as Uint8Array;
      if (data.length < size) throw new InvalidArchive('unexpected EOF', { offset: pos });
    } else {
      content = (yield { data: size }) as FileContent | undefined;
      if (!content) throw new InvalidArchive('unexpected EOF', { offset: pos });
    }
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    yield { skip: padded - size };
    pos += padded;
    // A header's work, or a metadata entry's decoding; a file's bytes are passed over, not read.
    if (budget.spend(BLOCK + (data ? size : 0))) yield;
    if (h.type === 'x') {
      pax = decodePaxRecords(data!);
      continue;
    }
    if (h.type === 'g') continue;
    if (h.type === 'L') {
      const nul = data!.indexOf(0);
      longName = new TextDecoder().decode(nul < 0 ? data : data!.subarray(0, nul));
      continue;
    }
    const name = normalise(pax?.get('path') ?? longName ?? h.name);
    const linkname = pax?.get('linkpath') ?? h.linkname;
    pax = undefined;
    longName = undefined;
    if (h.type === '0' || h.type === '7') files.set(name, content!);
    else if (h.type === '2') links.set(name, resolveLink(name, linkname));
    else if (h.type === '1') links.set(name, normalise(linkname));
  }
  if (!ended && files.size === 0) throw new InvalidArchive('unexpected EOF');
  return { files, links };
}

function archiveFiles({ files, links }: ArchiveIndex): TarFiles {
  const find = (path: string) => {
    let p = normalise(path);
    for (let hops = 0; hops < 16 && !files.has(p) && links.has(p); hops++) p = links.get(p)!;
    return files.get(p);
  };
  return {
    paths: [...files.keys()],
    async read(path) {
      const content = find(path);
      if (!content) return undefined;
      const held = await contentBytes(content, path);
      return held.type === 'bytes' ? held.bytes : undefined;
    },
    size: async (path) => {
      const content = find(path);
      return content && contentSize(content);
    },
    async open(path) {
      const content = find(path);
      if (!content) return undefined;
      if (content.type === 'bytes') return bytesReader(content.bytes);
      if (content.type === 'stream') return { size: content.size, chunks: () => exactChunks(content.size, content.open(), path) };
      return undefined;
    },
  };
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function resolveLink(from: string, target: string): string {
  if (target.startsWith('/')) return normalise(target);
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  return normalise(`${dir}/${target}`);
}
