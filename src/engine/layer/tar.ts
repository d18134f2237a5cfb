import { sha256, type Digest } from '../digest.js';
import { SLICE_BYTES, sha256Chunks } from '../digest-stream.js';
import { runAtOnce, runInSlices, SliceBudget } from '../loop-slices.js';
import { overBytes, overRanges, type RangeReader, type TarSteps } from './tar-source.js';
import { ExternalContent, InvalidLayer, LayerBreakout } from '../errors.js';
import { byPath, contentSize, exactChunks, type Change, type FileChange, type FileContent, type StreamContent } from './change.js';
import {
  BLOCK,
  decodeHeader,
  decodePaxRecords,
  encodeHeader,
  encodePaxRecords,
  isAscii,
  isZeroBlock,
  octalMax,
  type TarHeader,
} from './tar-header.js';
import { utf8Length } from '../format/utf8.js';
import { concatBytes } from '../format/concat-bytes.js';
import { byTreeOrder, checkLayerPath, checkParents, layerPath, LINK_TARGET_MAX, splitPath } from './layer-path.js';

/** OCI image spec: a whiteout is `.wh.<name>`; an opaque directory holds `.wh..wh..opq`. */
export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

export interface LayerTarOptions {
  /** Seconds since the epoch written as every entry's mtime (default 0). */
  sourceDateEpoch?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes layer entries as an uncompressed layer tar, deterministically: the same
 * entries give the same bytes, so the same diffID on every backend.
 *
 * - Entries in tree order (a directory, then what it holds, names sorted), which is the
 *   order a walk of the upper directory gives (Docker's archive, BuildKit's differ).
 * - mtime = SOURCE_DATE_EPOCH (default 0), as BuildKit's `rewrite-timestamp` does;
 *   uname/gname empty; names relative, directories with a trailing `/`.
 * - OCI whiteouts: a deleted path is an empty `.wh.<name>` file (mode 0600, as Docker's
 *   overlay converter writes it); an opaque directory is its entry followed by
 *   `<dir>/.wh..wh..opq` carrying the directory's permissions and owner.
 * - ustar headers; a PAX `x` header before an entry whose name or link target does not
 *   fit ustar (over 100 bytes, non-ASCII) or whose ids/size exceed the octal fields.
 * - Two zero blocks end the archive (Go's archive/tar: no padding to a 10 KiB record).
 */
export function writeLayerTar(changes: readonly Change[], opts: LayerTarOptions = {}): Uint8Array {
  return concatBytes([...layerTarChunks(changes, opts)]);
}

/** The bytes of `writeLayerTar`, a piece at a time (headers, then each file's own bytes,
 * never copied): what streams to a content store or a hash without the whole tar. Held
 * entries only: a layer with streamed content is written by `layerTarStream`. */
export function* layerTarChunks(changes: readonly Change[], opts: LayerTarOptions = {}): Generator<Uint8Array> {
  for (const piece of layerTarPieces(changes, opts)) {
    if (!(piece instanceof Uint8Array)) throw new TypeError(`${piece.path}: streamed content is written by layerTarStream`);
    yield piece;
  }
}

/** `layerTarChunks` of any entries: a streamed file's bytes are read as the tar reaches
 * them, a bounded chunk at a time, and must come to the size its header gave (`docker
 * commit` of a large upper dir streams it to the store this way, holding no file whole). */
export async function* layerTarStream(changes: readonly Change[], opts: LayerTarOptions = {}): AsyncGenerator<Uint8Array> {
  for (const piece of layerTarPieces(changes, opts)) {
    if (piece instanceof Uint8Array) yield piece;
    else {
      yield* exactChunks(piece.content.size, piece.content.open(), piece.path);
      const pad = (BLOCK - (piece.content.size % BLOCK)) % BLOCK;
      if (pad > 0) yield new Uint8Array(pad);
    }
  }
}

/** A streamed file's bytes in the tar: its padding is the writer's to add. */
interface StreamPiece {
  path: string;
  content: StreamContent;
}

function* layerTarPieces(changes: readonly Change[], opts: LayerTarOptions): Generator<Uint8Array | StreamPiece> {
  const mtime = opts.sourceDateEpoch ?? 0;
  const sorted = [...changes].sort(byTreeOrder);
  let previous: string | undefined;
  for (const c of sorted) {
    const chunks: (Uint8Array | StreamPiece)[] = [];
    checkLayerPath(c.path);
    if (c.path === previous) throw new InvalidLayer('duplicate path in layer', { path: c.path });
    previous = c.path;
    // The root is the directory the layer is unpacked into, never an entry of it.
    if (c.path === '/') continue;
    const rel = c.path.slice(1);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (base.startsWith(WHITEOUT_PREFIX)) throw new InvalidLayer('a layer cannot hold a name starting with .wh.', { path: c.path });
    switch (c.kind) {
      case 'dir':
        writeEntry(chunks, { name: `${rel}/`, mode: c.mode, uid: c.uid, gid: c.gid, size: 0, mtime, type: '5', linkname: '' });
        if (c.opaque) {
          // Docker: the marker inherits the directory's permission bits and owner.
          writeEntry(chunks, {
            name: `${rel}/${OPAQUE_MARKER}`,
            mode: c.mode & 0o777,
            uid: c.uid,
            gid: c.gid,
            size: 0,
            mtime,
            type: '0',
            linkname: '',
          });
        }
        break;
      case 'file': {
        if (c.content.type === 'external') {
          throw new ExternalContent('file content is not held here and cannot be written to a layer tar', { path: c.path, digest: c.content.digest });
        }
        const size = contentSize(c.content);
        const header: TarHeader = { name: rel, mode: c.mode, uid: c.uid, gid: c.gid, size, mtime, type: '0', linkname: '' };
        if (c.content.type === 'bytes') writeEntry(chunks, header, c.content.bytes);
        else {
          writeEntry(chunks, header);
          chunks.push({ path: c.path, content: c.content });
        }
        break;
      }
      case 'symlink':
        writeEntry(chunks, { name: rel, mode: c.mode, uid: c.uid, gid: c.gid, size: 0, mtime, type: '2', linkname: c.target });
        break;
      case 'whiteout': {
        const dir = rel.slice(0, rel.length - base.length);
        // Docker's overlay converter: the 0/0 char device becomes a 0600 regular file.
        writeEntry(chunks, { name: `${dir}${WHITEOUT_PREFIX}${base}`, mode: 0o600, uid: 0, gid: 0, size: 0, mtime, type: '0', linkname: '' });
        break;
      }
    }
    yield* chunks;
  }
  yield new Uint8Array(BLOCK * 2);
}

function writeEntry(chunks: (Uint8Array | StreamPiece)[], h: TarHeader, data?: Uint8Array): void {
  const pax = new Map<string, string>();
  if (utf8Length(h.name) > 100 || !isAscii(h.name)) pax.set('path', h.name);
  if (utf8Length(h.linkname) > 100 || !isAscii(h.linkname)) pax.set('linkpath', h.linkname);
  if (h.uid > octalMax(8)) pax.set('uid', String(h.uid));
  if (h.gid > octalMax(8)) pax.set('gid', String(h.gid));
  if (h.size > octalMax(12)) pax.set('size', String(h.size));
  if (pax.size > 0) {
    const body = encodePaxRecords(pax);
    // Go's archive/tar names the extended header `<dir>/PaxHeaders.0/<base>`.
    const trimmed = h.name.replace(/\/$/, '');
    const slash = trimmed.lastIndexOf('/');
    const paxName = `${trimmed.slice(0, slash + 1)}PaxHeaders.0/${trimmed.slice(slash + 1)}`.slice(0, 100);
    chunks.push(encodeHeader({ name: paxName, mode: 0, uid: 0, gid: 0, size: body.length, mtime: 0, type: 'x', linkname: '' }));
    pushData(chunks, body);
  }
  chunks.push(encodeHeader(h));
  if (data) pushData(chunks, data);
}

function pushData(chunks: (Uint8Array | StreamPiece)[], data: Uint8Array): void {
  chunks.push(data);
  const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
  if (pad > 0) chunks.push(new Uint8Array(pad));
}

// POSIX: these types are a header alone; their size field says nothing about data.
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/**
 * Reads a layer tar into layer entries, sorted by path, as unpacking it would leave
 * them: later entries for a path replace earlier ones. Accepts what real tools write:
 * ustar, PAX (`x` per entry, `g` global), GNU long names (`L`/`K`) and base-256
 * numbers, `./` and `/` prefixes. A hard link becomes a copy of its target file;
 * devices and fifos are dropped (a layer's whiteouts are `.wh.` files, never devices).
 */
export function readLayerTar(bytes: Uint8Array): Change[] {
  return runAtOnce(overBytes(bytes, layerTarSteps()));
}

/** `readLayerTar` with a turn of the event loop every slice of entries: how a learner's
 * layer (`ADD`) is read on a server others share. */
export function readLayerTarInSlices(bytes: Uint8Array): Promise<Change[]> {
  return runInSlices(overBytes(bytes, layerTarSteps()));
}

/** `readLayerTar` of a tar of `size` bytes read by ranges (a stored layer blob): its
 * headers are read, its files passed over and given as `stream` contents read from `range`
 * when they are unpacked, so a layer of any size is read holding a chunk. */
export function readLayerTarRanges(size: number, range: RangeReader): Promise<Change[]> {
  return overRanges(size, range, layerTarSteps());
}

/** Go archive/tar's `maxSpecialFileSize`: a PAX or GNU long-name body is read whole, so it is bounded. */
export const TAR_META_MAX = 1024 * 1024;

function* layerTarSteps(): TarSteps<Change[]> {
  const entries = new Map<string, Change>();
  // Paths some entry lies below: only a non-directory put there has entries to take away.
  const parents = new Set<string>();
  const budget = new SliceBudget(SLICE_BYTES);
  const opaque = new Set<string>();
  let global = new Map<string, string>();
  let pax: Map<string, string> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pos = 0;
  for (;;) {
    const block = (yield { read: BLOCK }) as Uint8Array;
    if (block.length < BLOCK || isZeroBlock(block)) break;
    const h = decodeHeader(block, pos);
    pos += BLOCK;
    const records = new Map([...global, ...(pax ?? [])]);
    const size = HEADER_ONLY.has(h.type) ? 0 : records.has('size') && !isMeta(h.type) ? paxSize(records.get('size')!, pos - BLOCK) : h.size;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    let data: Uint8Array | undefined;
    let content: FileContent | undefined;
    if (isMeta(h.type)) {
      // archive/tar: ErrFieldTooLong — a metadata body is held to be decoded, so it is bounded.
      if (size > TAR_META_MAX) throw new InvalidLayer('archive/tar: header field too long', { offset: pos - BLOCK });
      data = (yield { read: size }) as Uint8Array;
      if (data.length < size) throw new InvalidLayer('tar entry is truncated', { offset: pos - BLOCK });
    } else {
      content = (yield { data: size }) as FileContent | undefined;
      if (!content) throw new InvalidLayer('tar entry is truncated', { offset: pos - BLOCK });
    }
    yield { skip: padded - size };
    pos += padded;
    // A header's work, or a metadata entry's decoding; a file's bytes are viewed, not read.
    if (budget.spend(BLOCK + (data ? size : 0))) yield;
    switch (h.type) {
      case 'x':
        pax = new Map([...(pax ?? []), ...decodePaxRecords(data!)]);
        continue;
      case 'g':
        global = new Map([...global, ...decodePaxRecords(data!)]);
        continue;
      case 'L':
        longName = cString(data!);
        continue;
      case 'K':
        longLink = cString(data!);
        continue;
    }
    const name = records.get('path') ?? longName ?? h.name;
    const linkname = records.get('linkpath') ?? longLink ?? h.linkname;
    const uid = checkId(records.has('uid') ? Number(/^\d{1,10}$/.test(records.get('uid')!) ? records.get('uid') : NaN) : h.uid, name);
    const gid = checkId(records.has('gid') ? Number(/^\d{1,10}$/.test(records.get('gid')!) ? records.get('gid') : NaN) : h.gid, name);
    pax = undefined;
    longName = undefined;
    longLink = undefined;

    const path = layerPath(name);
    if (path === '/') continue;
    // moby pkg/archive: nothing is unpacked through a symlink (or beneath a file) the
    // layer made earlier — a whiteout or opaque marker no more than a file.
    checkParents(entries, path, name);
    const parts = splitPath(path);
    const base = parts[parts.length - 1]!;
    const dir = parts.length === 1 ? '/' : `/${parts.slice(0, -1).join('/')}`;
    if (base === OPAQUE_MARKER) {
      opaque.add(dir);
      continue;
    }
    // AUFS metadata (`.wh..wh.plnk`, `.wh..wh.aufs`) is not part of the layer.
    if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) continue;
    if (base.startsWith(WHITEOUT_PREFIX)) {
      const hidden = base.slice(WHITEOUT_PREFIX.length);
      // A whiteout hides a name in its own directory, never the directory or its parent.
      if (hidden === '' || hidden === '.' || hidden === '..') throw new LayerBreakout(`${JSON.stringify(name)} is outside of "/"`, { name });
      put(entries, parents, { kind: 'whiteout', path: `${dir === '/' ? '' : dir}/${hidden}` });
      continue;
    }
    const meta = { mode: h.mode, uid, gid };
    switch (h.type) {
      case '0':
      case '7':
        // A view of the tar, not a copy: whoever reads a layer holds its tar meanwhile, so a
        // copy would hold the layer twice; of a streamed tar, a range to read again.
        put(entries, parents, { kind: 'file', path, ...meta, content: content! });
        break;
      case '1': {
        let targetPath: string;
        try {
          targetPath = layerPath(linkname);
        } catch (err) {
          // moby pkg/archive: breakoutError(fmt.Errorf("invalid hardlink %q -> %q", …)).
          if (err instanceof LayerBreakout)
            throw new LayerBreakout(`invalid hardlink ${JSON.stringify(name)} -> ${JSON.stringify(linkname)}`, { name, target: linkname });
          throw err;
        }
        const target = entries.get(targetPath);
        if (target?.kind !== 'file') throw new InvalidLayer('hard link to a file not earlier in the layer', { path, target: linkname });
        put(entries, parents, { ...target, path, ...meta } satisfies FileChange);
        break;
      }
      case '2':
        if (linkname === '' || linkname.includes('\0') || utf8Length(linkname) > LINK_TARGET_MAX) {
          throw new InvalidLayer(`invalid symlink target for ${JSON.stringify(name)}`, { name });
        }
        put(entries, parents, { kind: 'symlink', path, ...meta, target: linkname });
        break;
      case '5':
        put(entries, parents, { kind: 'dir', path, ...meta });
        break;
      case '3':
      case '4':
      case '6':
        break;
      default:
        throw new InvalidLayer('unsupported tar entry type', { path, type: h.type });
    }
  }
  for (const dir of opaque) {
    const entry = entries.get(dir);
    if (entry?.kind === 'dir') entries.set(dir, { ...entry, opaque: true });
    // A marker without its directory's entry: the directory exists, with defaults.
    else if (dir !== '/') put(entries, parents, { kind: 'dir', path: dir, mode: 0o755, uid: 0, gid: 0, opaque: true });
  }
  return [...entries.values()].sort(byPath);
}

function isMeta(type: string): boolean {
  return type === 'x' || type === 'g' || type === 'L' || type === 'K';
}

function cString(data: Uint8Array): string {
  const nul = data.indexOf(0);
  return decoder.decode(nul < 0 ? data : data.subarray(0, nul));
}

/** Unpacking semantics: an entry replaces what was at its path, and a non-directory
 * replacing a directory — one of the layer's or one its entries implied — takes the
 * directory's contents with it (moby: `os.RemoveAll(path)` unless dir over dir). */
function put(entries: Map<string, Change>, parents: Set<string>, c: Change): void {
  // Only a path something was put below has contents to take: a scan for every file
  // made reading a layer of n files n² work.
  if (c.kind !== 'dir' && parents.has(c.path)) {
    const prefix = `${c.path}/`;
    for (const p of [...entries.keys()]) if (p.startsWith(prefix)) entries.delete(p);
    parents.delete(c.path);
  }
  for (let i = c.path.lastIndexOf('/'); i > 0; i = c.path.lastIndexOf('/', i - 1)) parents.add(c.path.slice(0, i));
  entries.set(c.path, c);
}

/** A uid/gid a host can hold (Linux: below 2^32 - 1, which means "no id"). */
function checkId(id: number, name: string): number {
  if (!(Number.isInteger(id) && id >= 0 && id < 0xffffffff)) throw new InvalidLayer(`invalid owner id for ${JSON.stringify(name)}`, { name });
  return id;
}

function paxSize(value: string, offset: number): number {
  if (!/^\d{1,15}$/.test(value)) throw new InvalidLayer('invalid PAX size', { offset });
  return Number(value);
}

/**
 * A layer's size as Docker reports it (`docker history` SIZE, summed by `docker images`):
 * moby's `directory.Size` over the layer's diff directory, which adds the lstat size of
 * every entry that is not a directory — a regular file's bytes and a symlink's target
 * length; whiteouts (0/0 char devices) and directories count nothing.
 */
export function layerSize(changes: readonly Change[]): number {
  let size = 0;
  for (const c of changes) {
    if (c.kind === 'file') size += contentSize(c.content);
    else if (c.kind === 'symlink') size += encoder.encode(c.target).length;
  }
  return size;
}

/** A layer's diffID (sha256 of its uncompressed tar) and Docker's size, the tar hashed
 * as it is written and never held whole; the event loop gets turns between slices. */
export async function layerDigest(changes: readonly Change[], opts: LayerTarOptions = {}): Promise<{ diffId: Digest; size: number }> {
  return { diffId: await sha256Chunks(layerTarChunks(changes, opts)), size: layerSize(changes) };
}

/** A layer ready for the content store: its tar, diffID (sha256 of the uncompressed
 * tar) and Docker's size. */
export function layerOf(changes: readonly Change[], opts: LayerTarOptions = {}): { tar: Uint8Array; diffId: Digest; size: number } {
  const tar = writeLayerTar(changes, opts);
  return { tar, diffId: sha256(tar), size: layerSize(changes) };
}
