import type { Workspace } from '../drivers/workspace.js';
import type { Change } from '../layer/change.js';
import { BuildError } from './build-errors.js';
import { isIgnored, parseDockerignore } from './dockerignore.js';
import { RootfsView } from './rootfs-view.js';

export interface BuildContext {
  /** The context's files as entries at `/<relative path>`, owned by root as the CLI
   * sends them (Docker: the context tar is written with uid/gid 0). */
  view: RootfsView;
  /** The size of the context tar Docker's CLI would send (classic builder's "Sending
   * build context to Docker daemon" line): a 512-byte header per entry, data padded to
   * 512, two zero blocks at the end. */
  tarSize: number;
  /** Bytes of the files sent, for BuildKit's "transferring context". */
  bytes: number;
}

/** Reads the context directory `dir` (relative to the workspace root, `.` for the root)
 * without what `.dockerignore` excludes. The Dockerfile and .dockerignore are always
 * sent, as Docker's CLI re-includes them. */
export async function loadContext(workspace: Workspace, dir: string, dockerfilePath: string): Promise<BuildContext> {
  const root = cleanDir(dir);
  const prefix = root === '' ? '' : `${root}/`;
  const listed = await workspace.list(root === '' ? undefined : root);
  const ignoreBytes = await workspace.read(`${prefix}.dockerignore`);
  const patterns = ignoreBytes ? parseDockerignore(new TextDecoder().decode(ignoreBytes)) : [];
  const always = new Set(['.dockerignore', dockerfilePath.startsWith(prefix) ? dockerfilePath.slice(prefix.length) : '']);
  const entries = new Map<string, Change>();
  let tarSize = 1024;
  let bytes = 0;
  for (const e of listed) {
    const rel = e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path;
    if (rel === '' || (!always.has(rel) && isIgnored(rel, patterns))) continue;
    const path = `/${rel}`;
    const meta = { mode: e.mode & 0o7777, uid: 0, gid: 0 };
    if (e.kind === 'dir') {
      entries.set(path, { kind: 'dir', path, ...meta });
      tarSize += 512;
    } else if (e.kind === 'file') {
      const content = await workspace.read(e.path.startsWith(prefix) ? e.path : `${prefix}${e.path}`);
      if (!content) continue;
      entries.set(path, { kind: 'file', path, ...meta, content: { type: 'bytes', bytes: content } });
      tarSize += 512 + Math.ceil(content.length / 512) * 512;
      bytes += content.length;
    }
  }
  // Files listed without their directories still imply them.
  for (const path of [...entries.keys()]) {
    for (let p = path.slice(0, path.lastIndexOf('/')); p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
      if (!entries.has(p)) entries.set(p, { kind: 'dir', path: p, mode: 0o755, uid: 0, gid: 0 });
    }
  }
  return { view: new RootfsView(entries), tarSize, bytes };
}

/** Docker CLI: `unable to prepare context: path "x" not found`. */
export async function readDockerfile(workspace: Workspace, path: string): Promise<string> {
  const bytes = await workspace.read(cleanDir(path));
  if (!bytes)
    throw new BuildError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${path}: no such file or directory`);
  return new TextDecoder().decode(bytes);
}

export function cleanDir(dir: string): string {
  return dir
    .split('/')
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}
