import { byPath, type Change, type FileContent } from '../engine/layer/change.js';
import { splitPath } from '../engine/layer/layer-path.js';

/**
 * One snapshot's own directory tree (what overlayfs calls a layer dir: an upper while
 * active, a lower once committed), held in memory. Whiteouts are nodes, as the 0/0
 * char devices overlayfs leaves; opaque is a flag on a dir, as its xattr is.
 *
 * Nodes of committed layers are never changed, so every snapshot above shares them:
 * preparing a container copies nothing.
 */
export interface NodeMeta {
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

export interface DirNode extends NodeMeta {
  kind: 'dir';
  opaque: boolean;
  children: Map<string, Node>;
}

export interface FileNode extends NodeMeta {
  kind: 'file';
  content: FileContent;
}

export interface SymlinkNode extends NodeMeta {
  kind: 'symlink';
  target: string;
}

export interface WhiteoutNode {
  kind: 'whiteout';
}

export type Node = DirNode | FileNode | SymlinkNode | WhiteoutNode;

export const WHITEOUT: WhiteoutNode = Object.freeze({ kind: 'whiteout' });

/** A snapshot's directory. `writable` is false once committed or removed. */
export interface Layer {
  readonly id: number;
  readonly root: DirNode;
  writable: boolean;
}

export function newDir(meta: NodeMeta, opaque = false): DirNode {
  return { kind: 'dir', mode: meta.mode, uid: meta.uid, gid: meta.gid, mtimeMs: meta.mtimeMs, opaque, children: new Map() };
}

/** The layer's entries as layer changes, sorted by path: exactly what a tar of the
 * layer dir holds (the root itself is not an entry). */
export function treeChanges(root: DirNode): Change[] {
  const out: Change[] = [];
  const walk = (dir: DirNode, prefix: string): void => {
    for (const [name, node] of dir.children) {
      const path = `${prefix}/${name}`;
      switch (node.kind) {
        case 'dir':
          out.push({ kind: 'dir', path, mode: node.mode, uid: node.uid, gid: node.gid, ...(node.opaque ? { opaque: true } : {}) });
          walk(node, path);
          break;
        case 'file':
          out.push({ kind: 'file', path, mode: node.mode, uid: node.uid, gid: node.gid, content: node.content });
          break;
        case 'symlink':
          out.push({ kind: 'symlink', path, mode: node.mode, uid: node.uid, gid: node.gid, target: node.target });
          break;
        case 'whiteout':
          out.push({ kind: 'whiteout', path });
          break;
      }
    }
  };
  walk(root, '');
  return out.sort(byPath);
}

/**
 * Writes layer entries into a layer dir as unpacking a layer tar into an overlay upper
 * does (Docker's `UnpackLayer` with the overlay whiteout format): an entry replaces what
 * the dir held at its path, a whiteout becomes a whiteout node, an opaque dir gets its
 * flag, and missing parent dirs are made 0755 root-owned. Every node gets `mtimeMs`,
 * the tar's mtime.
 */
export function applyChanges(root: DirNode, changes: readonly Change[], mtimeMs: number): void {
  for (const c of [...changes].sort(byPath)) {
    const parts = splitPath(c.path);
    const name = parts.pop();
    if (name === undefined) continue;
    let dir = root;
    for (const part of parts) {
      let child = dir.children.get(part);
      if (child?.kind !== 'dir') {
        child = newDir({ mode: 0o755, uid: 0, gid: 0, mtimeMs });
        dir.children.set(part, child);
      }
      dir = child;
    }
    switch (c.kind) {
      case 'dir': {
        const old = dir.children.get(name);
        if (old?.kind === 'dir') {
          Object.assign(old, { mode: c.mode, uid: c.uid, gid: c.gid, mtimeMs, opaque: old.opaque || c.opaque === true });
        } else {
          dir.children.set(name, newDir({ mode: c.mode, uid: c.uid, gid: c.gid, mtimeMs }, c.opaque === true));
        }
        break;
      }
      case 'file':
        dir.children.set(name, { kind: 'file', mode: c.mode, uid: c.uid, gid: c.gid, mtimeMs, content: c.content });
        break;
      case 'symlink':
        dir.children.set(name, { kind: 'symlink', mode: c.mode, uid: c.uid, gid: c.gid, mtimeMs, target: c.target });
        break;
      case 'whiteout':
        dir.children.set(name, WHITEOUT);
        break;
    }
  }
}
