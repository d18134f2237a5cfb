import { WorkspacePathError } from './errors.js';

/**
 * A `Workspace` path as every workspace names its files: relative to its root, empty and
 * `.` parts dropped, a `..` taking back the name before it — lexically, as openat2 with
 * RESOLVE_BENEATH resolves a name it has not left — and a `..` that would climb above the
 * root refused, as a NUL byte is (`WorkspacePathError`, the same words on every backend:
 * `save -o ../x` is refused by the simulator as by the sandbox). The memory workspace keys
 * its files by the result; the directory one (sandbox-server's `FsWorkspace`) checks the
 * name here first and then resolves it beneath its root without following a link.
 */
export function workspacePath(path: string, use: 'read' | 'write'): string {
  const parts: string[] = [];
  if (!path.includes('\0')) {
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part !== '..') parts.push(part);
      else if (parts.pop() === undefined) return refuse(path, use);
    }
    return parts.join('/');
  }
  return refuse(path, use);
}

/** `workspacePath`, or undefined for a name outside the workspace: a listing of such a dir is empty. */
export function workspacePathIfInside(path: string): string | undefined {
  try {
    return workspacePath(path, 'read');
  } catch (err) {
    if (err instanceof WorkspacePathError) return undefined;
    throw err;
  }
}

function refuse(path: string, use: 'read' | 'write'): never {
  throw new WorkspacePathError(`invalid ${use === 'write' ? 'output ' : ''}path ${JSON.stringify(path)}: it must name a file in the workspace`, {
    path,
  });
}
