import { DocumentTooLarge } from './errors.js';
import { bytesSize } from './format/size.js';

/**
 * The most a JSON document may be that a learner can shape: an image archive's
 * `manifest.json` and `index.json`, a manifest or nested index, an image config, and the
 * server's snapshot metadata. 4 MiB is the manifest limit registries apply (distribution's
 * manifest body limit, containerd's `MaxManifestSize`); a real one is a few kilobytes.
 * A JSON document is parsed whole, so its size is checked first, from the tar header or
 * the file's size, before a byte of it is read.
 */
export const MAX_JSON_DOCUMENT_BYTES = 4 * 1024 * 1024;

/** Refuses a document of `size` bytes past the bound: `what` names it in the message. */
export function checkDocumentSize(size: number, what: string, max = MAX_JSON_DOCUMENT_BYTES): void {
  if (size > max)
    throw new DocumentTooLarge(`${what} is too large: ${bytesSize(size)}, larger than the ${bytesSize(max)} a JSON document may be`, {
      what,
      size,
      max,
    });
}
