import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { StartingFile } from './starting-files.js';

/**
 * A lesson's starting files, read at build time: every file under `files/` beside its
 * `index.mdx`, as build-context paths (`v1/app.txt`), sorted. Empty when the lesson has
 * no `files/`, so its page carries nothing.
 */
export function readStartingFiles(lessonPath: string): StartingFile[] {
  const root = join(dirname(lessonPath), 'files');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => {
      const full = join(d.parentPath, d.name);
      return { path: relative(root, full).split(sep).join('/'), base64: readFileSync(full).toString('base64') };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
