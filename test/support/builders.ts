import type { Change, DirChange, FileChange, SymlinkChange, WhiteoutChange } from '../../src/engine/layer/change.js';
import { byPath } from '../../src/engine/layer/change.js';

/** Test data builders: layers read like the lesson (`aLayer({ '/etc/motd': 'hi' })`). */

const encoder = new TextEncoder();

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

export function aFile(path: string, content: string | Uint8Array = '', meta: Partial<Pick<FileChange, 'mode' | 'uid' | 'gid'>> = {}): FileChange {
  return {
    kind: 'file',
    path,
    mode: 0o644,
    uid: 0,
    gid: 0,
    ...meta,
    content: { type: 'bytes', bytes: typeof content === 'string' ? bytes(content) : content },
  };
}

export function aDir(path: string, meta: Partial<Pick<DirChange, 'mode' | 'uid' | 'gid' | 'opaque'>> = {}): DirChange {
  return { kind: 'dir', path, mode: 0o755, uid: 0, gid: 0, ...meta };
}

export function aSymlink(path: string, target: string, meta: Partial<Pick<SymlinkChange, 'uid' | 'gid'>> = {}): SymlinkChange {
  return { kind: 'symlink', path, target, mode: 0o777, uid: 0, gid: 0, ...meta };
}

export function aWhiteout(path: string): WhiteoutChange {
  return { kind: 'whiteout', path };
}

/** Shorthand for a layer: `'/etc/motd': 'hi'` is a file, a value ending in `/` a dir
 * (`'/data': '/'`), `'-> target'` a symlink, `null` a whiteout, `'/opaque'` … an opaque
 * dir. Parent directories are added (0755) unless listed. Sorted by path. */
export function aLayer(spec: Record<string, string | null>): Change[] {
  const out = new Map<string, Change>();
  for (const [path, value] of Object.entries(spec)) {
    if (value === null) out.set(path, aWhiteout(path));
    else if (value === '/') out.set(path, aDir(path));
    else if (value === '/opaque') out.set(path, aDir(path, { opaque: true }));
    else if (value.startsWith('-> ')) out.set(path, aSymlink(path, value.slice(3)));
    else out.set(path, aFile(path, value));
  }
  for (const path of [...out.keys()]) {
    const parts = path.split('/').slice(1, -1);
    for (let i = 1; i <= parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (!out.has(dir)) out.set(dir, aDir(dir));
    }
  }
  return [...out.values()].sort(byPath);
}
