import type { Workspace } from '../drivers/workspace.js';
import type { ArchiveEntry, ArchiveFiles } from './archive-tar.js';

function join(dir: string, path: string): string {
  const base = dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return base === '' ? path : `${base}/${path}`;
}

/** An OCI image layout directory in the workspace, read as archive files. */
export function workspaceFiles(workspace: Workspace, dir: string): ArchiveFiles {
  return { read: (path) => workspace.read(join(dir, path)) };
}

/** Whether `dir` in the workspace is an OCI image layout (it has `oci-layout` and `index.json`). */
export async function isOciLayoutDir(workspace: Workspace, dir: string): Promise<boolean> {
  const [layout, index] = await Promise.all([workspace.read(join(dir, 'oci-layout')), workspace.read(join(dir, 'index.json'))]);
  return layout !== undefined && index !== undefined;
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
