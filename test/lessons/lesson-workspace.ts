import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsWorkspace } from '../../cli/fs-workspace.js';
import type { Workspace } from '../../src/engine/drivers/workspace.js';

/**
 * The files a lesson starts with (TutorialKit's starting files beside the lesson):
 * `content/lessons/<locale>/<id>/files/` is the workspace root, so `docker build .` in
 * the lesson reads its Dockerfile and context from there. Undefined when the lesson has
 * none. Lessons only read their files (build), never write them (`save -o`).
 */
export function lessonWorkspace(lessonPath: string): Workspace | undefined {
  const root = join(dirname(lessonPath), 'files');
  return existsSync(root) ? new FsWorkspace(root) : undefined;
}
