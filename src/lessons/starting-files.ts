/**
 * A lesson's starting file as the page carries it (TutorialKit's files beside the
 * lesson): its path in the build context and its bytes in base64, so any file, text
 * or not, survives the JSON island unchanged.
 */
export interface StartingFile {
  path: string;
  base64: string;
}

/** The island's JSON as files a workspace can start with. */
export function decodeStartingFiles(json: string): { path: string; bytes: Uint8Array }[] {
  const files = JSON.parse(json) as StartingFile[];
  return files.map((f) => ({ path: f.path, bytes: Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) }));
}
