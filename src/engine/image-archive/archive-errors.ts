import { EngineError } from '../errors.js';

/** A layer whose bytes this backend does not hold: the simulator's busybox base layer is
 * described (sizes, digests) but its binary is not here, so it cannot be written out. */
export class LayerContentUnavailable extends EngineError {
  readonly code = 'LAYER_CONTENT_UNAVAILABLE';
}
/** An image archive or OCI layout that cannot be read: no manifest, a missing blob, a
 * malformed JSON document, an unsupported compression. */
export class InvalidArchive extends EngineError {
  readonly code = 'INVALID_ARCHIVE';
}
/** Docker: `docker save` of an image without layers ("empty export - not implemented"). */
export class EmptyExport extends EngineError {
  readonly code = 'EMPTY_EXPORT';
}
/** Compressed data that unpacks past `EngineLimits.unpackBytes` (a gzip bomb, or a layer
 * bigger than the session's disk): refused while it streams, before it is held. */
export class DecompressedTooLarge extends EngineError {
  readonly code = 'DECOMPRESSED_TOO_LARGE';
}
