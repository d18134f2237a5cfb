import type { Change, DirChange } from '../layer/change.js';
import { byPath } from '../layer/change.js';
import { LayerBreakout } from '../errors.js';
import { readLayerTarInSlices } from '../layer/tar.js';
import { DecompressedTooLarge } from '../image-archive/archive-errors.js';
import { BuildError, SourceNotFound } from './build-errors.js';
import { normalise, type RootfsView } from './rootfs-view.js';

export interface CopyRequest {
  /** Sources as the Dockerfile wrote them (after variable expansion). */
  sources: string[];
  dest: string;
  /** Where the sources are read: the build context, or a stage's/image's rootfs. */
  from: RootfsView;
  fromContext: boolean;
  /** The image being built, to see what the destination already is. */
  target: RootfsView;
  workdir: string;
  owner?: { uid: number; gid: number };
  chmod?: number;
  /** ADD: local tar archives are extracted into the destination. */
  extractArchives: boolean;
  /** Bytes of a gzip/bzip2/xz stream, decompressed (ADD of a compressed tar). */
  gunzip?: (bytes: Uint8Array) => Promise<Uint8Array>;
}

const WILDCARD = /[*?[]/;

/**
 * The layer entries COPY/ADD makes (Docker's copy semantics, BuildKit's `FileOp`):
 * a directory source copies its contents; a file copies to `dest`, or into it when
 * `dest` ends with `/` or is an existing directory; several sources need a directory
 * destination; wildcards match with Go's `filepath.Match`. Missing parent directories
 * are created (0755); existing ones appear in the layer with their own metadata, as the
 * copy-up of an overlay upper directory would hold them.
 */
export async function copyChanges(req: CopyRequest): Promise<Change[]> {
  const out = new Map<string, Change>();
  const destRaw = req.dest;
  let destPath = normalise(destRaw.startsWith('/') ? destRaw : `${req.workdir}/${destRaw}`);
  const matched: Change[] = [];
  for (const src of req.sources) {
    if (req.fromContext && climbsOut(src)) throw new SourceNotFound(src, true);
    const pattern = normalise(`/${src}`);
    if (WILDCARD.test(pattern)) {
      const re = globRe(pattern);
      const hits = req.from.all().filter((c) => c.kind !== 'whiteout' && re.test(c.path));
      if (hits.length === 0) throw new SourceNotFound(src, false);
      matched.push(...hits);
    } else {
      const hit = pattern === '/' ? ({ kind: 'dir', path: '/', mode: 0o755, uid: 0, gid: 0 } as DirChange) : req.from.get(pattern);
      if (!hit || hit.kind === 'whiteout') throw new SourceNotFound(src, false);
      matched.push(hit);
    }
  }
  const intoDir = destRaw.endsWith('/') || destRaw.endsWith('/.') || req.target.isDir(destPath);
  if (matched.length > 1 && !intoDir) {
    throw new BuildError('When using COPY with more than one source file, the destination must be a directory and end with a /');
  }
  const own = <T extends Change>(c: T, fromView: boolean): T => {
    if (c.kind === 'whiteout') return c;
    const meta = c as T & { mode: number; uid: number; gid: number };
    const uid = req.owner?.uid ?? (fromView && !req.fromContext ? meta.uid : 0);
    const gid = req.owner?.gid ?? (fromView && !req.fromContext ? meta.gid : 0);
    const mode = req.chmod !== undefined && c.kind !== 'symlink' ? req.chmod : meta.mode;
    return { ...c, uid, gid, mode };
  };
  const put = (c: Change) => out.set(c.path, c);
  for (const m of matched) {
    if (m.kind === 'dir') {
      // Docker: a directory source copies what it holds, not the directory itself.
      if (!req.target.isDir(destPath)) put(own({ ...m, path: destPath, opaque: false } as DirChange, true));
      for (const c of req.from.under(m.path)) {
        if (c.path === m.path || c.kind === 'whiteout') continue;
        put(own({ ...c, path: `${destPath === '/' ? '' : destPath}${c.path.slice(m.path === '/' ? 0 : m.path.length)}` }, true));
      }
      continue;
    }
    const base = m.path.slice(m.path.lastIndexOf('/') + 1);
    if (req.extractArchives && req.fromContext && m.kind === 'file' && m.content.type === 'bytes') {
      const entries = await archiveEntries(m.content.bytes, req.gunzip);
      if (entries) {
        // Docker: ADD of a local tar extracts it into the destination directory.
        for (const c of entries) put(c.kind === 'whiteout' ? c : own({ ...c, path: normalise(`${destPath}/${c.path}`) }, true));
        continue;
      }
    }
    const path = intoDir ? normalise(`${destPath}/${base}`) : destPath;
    put(own({ ...m, path }, true));
  }
  if (intoDir && !req.target.isDir(destPath) && !out.has(destPath)) {
    put({ kind: 'dir', path: destPath, mode: 0o755, uid: req.owner?.uid ?? 0, gid: req.owner?.gid ?? 0 });
  }
  if (destPath === '/') destPath = '';
  // Parents: the existing directory (with its metadata) or a new 0755 root one.
  for (const path of [...out.keys()]) {
    for (let p = path.slice(0, path.lastIndexOf('/')); p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
      if (out.has(p)) continue;
      const existing = req.target.resolve(p);
      if (existing?.kind === 'dir') out.set(p, { kind: 'dir', path: p, mode: existing.mode, uid: existing.uid, gid: existing.gid });
      else out.set(p, { kind: 'dir', path: p, mode: 0o755, uid: 0, gid: 0 });
    }
  }
  return [...out.values()].sort(byPath);
}

/** Whether a context path names something above the context root (`../x`). */
function climbsOut(src: string): boolean {
  let depth = 0;
  for (const part of src.split('/')) {
    if (part === '' || part === '.') continue;
    depth += part === '..' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}

/** Go's `filepath.Match` for a whole path: `*` and `?` never cross a `/`. */
function globRe(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new BuildError(`syntax error in pattern: ${pattern}`);
      const cls = pattern.slice(i + 1, end);
      re += `[${cls.startsWith('^') ? cls : cls.replace(/^!/, '^')}]`;
      i = end;
    } else re += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/** The entries of a tar (or gzip-compressed tar), or undefined when the bytes are not
 * one — Docker's ADD then copies the file as it is. */
async function archiveEntries(bytes: Uint8Array, gunzip: CopyRequest['gunzip']): Promise<Change[] | undefined> {
  let data = bytes;
  if (data.length > 2 && data[0] === 0x1f && data[1] === 0x8b) {
    if (!gunzip) return undefined;
    try {
      data = await gunzip(data);
    } catch (err) {
      // A bomb is refused, not copied as it is: the learner should see why.
      if (err instanceof DecompressedTooLarge) throw err;
      return undefined;
    }
  }
  if (!isTar(data)) return undefined;
  try {
    return (await readLayerTarInSlices(data)).map((c) => ({ ...c, path: c.path }));
  } catch (err) {
    // An archive that would unpack outside its destination fails the step, as moby's
    // untar does; one that is merely not a readable tar is copied as it is.
    if (err instanceof LayerBreakout) throw new BuildError(`failed to copy files: ${err.message}`, err.details as Record<string, string>);
    return undefined;
  }
}

function isTar(data: Uint8Array): boolean {
  if (data.length < 512) return false;
  const magic = String.fromCharCode(...data.subarray(257, 262));
  return magic === 'ustar';
}
