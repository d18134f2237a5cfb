import type { Workspace } from '../drivers/workspace.js';
import type { ArchiveEntry, ArchiveFiles } from './archive-tar.js';

function base(dir: string): string {
  return dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
}

function join(dir: string, path: string): string {
  return base(dir) === '' ? path : `${base(dir)}/${path}`;
}

/** An OCI image layout directory in the workspace, read as archive files; sizes from one
 * listing of the dir, so a document's size is known before it is read. */
export function workspaceFiles(workspace: Workspace, dir: string): ArchiveFiles {
  let sizes: Promise<Map<string, number>> | undefined;
  return {
    read: (path) => workspace.read(join(dir, path)),
    open: (path) => workspace.open(join(dir, path)),
    async size(path) {
      sizes ??= workspace.list(base(dir)).then((entries) => new Map(entries.filter((e) => e.kind === 'file').map((e) => [e.path, e.size])));
      return (await sizes).get(join(dir, path));
    },
  };
}

/** Whether `dir` in the workspace is an OCI image layout (it has `oci-layout` and `index.json`). */
export async function isOciLayoutDir(workspace: Workspace, dir: string): Promise<boolean> {
  // Listed, not read: index.json is read once, by the loader, after its size is checked.
  const files = new Set((await workspace.list(base(dir))).filter((e) => e.kind === 'file').map((e) => e.path));
  return files.has(join(dir, 'oci-layout')) && files.has(join(dir, 'index.json'));
}

/** Whether a file of a save belongs to its OCI image layout (`oci-layout`, `index.json`,
 * `blobs/`): what `layerlab export-oci` writes and `umoci`/`skopeo oci:` read. */
export function isOciLayoutPath(path: string): boolean {
  return path === 'oci-layout' || path === 'index.json' || path.startsWith('blobs/');
}

export function ociLayoutEntries(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  return entries.filter((e) => e.bytes !== undefined && isOciLayoutPath(e.path));
}

/** Writes an image layout's files under `dir` in the workspace. */
export async function writeOciLayout(workspace: Workspace, dir: string, entries: readonly ArchiveEntry[]): Promise<void> {
  for (const e of ociLayoutEntries(entries)) await workspace.write(join(dir, e.path), e.bytes!);
}
