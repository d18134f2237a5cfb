import { EngineError } from '../errors.js';

/** Docker: `No such image: busybox:nope` (reference as the user wrote it, tag added). */
export class NoSuchImage extends EngineError {
  readonly code = 'NO_SUCH_IMAGE';
}
/** Docker: `invalid reference format` and its variants. */
export class InvalidReference extends EngineError {
  readonly code = 'INVALID_REFERENCE';
}
/** `docker rmi` of an image a container uses, or of an ID with several tags. */
export class ImageConflict extends EngineError {
  readonly code = 'IMAGE_CONFLICT';
}
