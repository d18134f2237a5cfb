import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { decodeStartingFiles } from '../../src/lessons/starting-files.js';
import { readStartingFiles } from '../../src/lessons/read-starting-files.js';

/**
 * The files a lesson starts with (TutorialKit's starting files beside the lesson), the
 * way its page carries them: `content/lessons/<locale>/<id>/files/` read as the build
 * does and decoded as the browser does. Empty when the lesson has none.
 */
export function lessonStartingFiles(lessonPath: string): { path: string; bytes: Uint8Array }[] {
  return decodeStartingFiles(JSON.stringify(readStartingFiles(lessonPath)));
}

/** The simulator's workspace on a lesson page: memory, preset with the lesson's files. */
export function lessonWorkspace(lessonPath: string): MemoryWorkspace {
  return new MemoryWorkspace(lessonStartingFiles(lessonPath));
}
