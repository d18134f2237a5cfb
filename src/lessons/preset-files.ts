/** A build-context file as the editor holds it. */
export interface TextFile {
  path: string;
  content: string;
}

/**
 * The editor's files once a step's `files` are loaded: those paths take the step's text,
 * new ones join the end, the learner's other files stay as they are (a preset Dockerfile
 * does not take away the files it copies).
 */
export function presetFiles(current: readonly TextFile[], preset: Readonly<Record<string, string>>): TextFile[] {
  const merged = current.map((f) => (Object.hasOwn(preset, f.path) ? { path: f.path, content: preset[f.path]! } : { ...f }));
  for (const [path, content] of Object.entries(preset)) if (!current.some((f) => f.path === path)) merged.push({ path, content });
  return merged;
}
