import { shortId } from '../engine/digest.js';
import { tableSize } from '../engine/format/size.js';
import { format, type Labels } from '../client/labels.js';
import type { LineAnnotation } from './build-annotations.js';

/**
 * The words after an instruction's line, in the learner's language: the layer's short
 * diffID and size as `docker history` prints them (tableSize), or why there is none.
 */
export function annotationText(a: LineAnnotation, labels: Labels): string {
  const how = (cached: boolean) => format(labels, cached ? 'editor.cached' : 'editor.rebuilt');
  switch (a.kind) {
    case 'from':
      return format(labels, 'editor.base');
    case 'layer':
      return `${format(labels, 'editor.layer', { id: shortId(a.diffId), size: a.size === null ? '?' : tableSize(a.size) })} · ${how(a.cached)}`;
    case 'empty':
      return `${format(labels, 'editor.noLayer')} · ${how(a.cached)}`;
    case 'failed':
      return format(labels, 'editor.failed', { code: a.exitCode });
    case 'running':
      return format(labels, 'editor.notRun');
  }
}

/** The longer text a hover shows: the failure's message, or the layer's full diffID. */
export function annotationDetail(a: LineAnnotation): string {
  if (a.kind === 'failed') return a.message;
  if (a.kind === 'layer') return a.diffId;
  return a.instruction;
}
