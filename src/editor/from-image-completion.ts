import { DockerfileParser, type From } from 'dockerfile-ast';
import type { ImageState } from '../engine/state.js';

/** A 0-based position, as the language service (LSP) counts. */
export interface Position {
  line: number;
  character: number;
}

/** Where the base image's name goes on a FROM line, as [start, end) characters on `line`. */
export interface ImageSlot {
  line: number;
  start: number;
  end: number;
  prefix: string;
}

/**
 * The base-image slot of the FROM instruction under the cursor, if the cursor is in it.
 * The editor completes it from the session's own images: Layerlab never contacts a public
 * registry (DESIGN.md; only the session's own on localhost:5000, whose names the session
 * already knows), so the language service's Docker Hub tag lookup must not run.
 */
export function fromImageSlot(content: string, position: Position): ImageSlot | undefined {
  const dockerfile = DockerfileParser.parse(content);
  for (const ins of dockerfile.getInstructions()) {
    if (ins.getKeyword() !== 'FROM') continue;
    const range = ins.getRange();
    if (position.line < range.start.line || position.line > range.end.line) continue;
    const keyword = ins.getInstructionRange();
    if (position.line === keyword.end.line && position.character <= keyword.end.character) return undefined;
    const image = (ins as From).getImageRange();
    if (image) {
      const inside = image.start.line === position.line && image.start.character <= position.character && position.character <= image.end.character;
      if (!inside) return undefined;
      const text = content.split(/\r?\n/)[position.line] ?? '';
      return {
        line: position.line,
        start: image.start.character,
        end: image.end.character,
        prefix: text.slice(image.start.character, position.character),
      };
    }
    // `FROM ` with nothing after it yet (a flag would have been the image otherwise).
    return { line: position.line, start: position.character, end: position.character, prefix: '' };
  }
  return undefined;
}

/** What may follow FROM here: every local image's tags, then `scratch` (Docker: the empty base). */
export function baseImageCandidates(images: readonly Pick<ImageState, 'repoTags'>[], prefix: string): string[] {
  const names = new Set<string>();
  for (const image of images) for (const tag of image.repoTags) names.add(tag);
  names.add('scratch');
  return [...names].filter((n) => n.startsWith(prefix)).sort();
}
