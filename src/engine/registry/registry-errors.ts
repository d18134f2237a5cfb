import { EngineError } from '../errors.js';

/**
 * A registry answered with an error document (`{"errors":[{code, message}]}`) or a status
 * the client did not expect. `message` is Docker's rendering of distribution's errcode,
 * `<code's words>: <message>` (`manifest unknown: manifest unknown`); `details.registryCode`
 * is the registry's code (`MANIFEST_UNKNOWN`).
 */
export class RegistryError extends EngineError {
  readonly code = 'REGISTRY_ERROR';
}

/** `pull` of a tag or digest the repository does not have: Docker's `manifest for … not found`. */
export class ManifestNotFound extends EngineError {
  readonly code = 'MANIFEST_NOT_FOUND';
}

/** What a registry sent is not what it named: a blob whose bytes have another digest, a
 * manifest the client cannot read. */
export class RegistryContentInvalid extends EngineError {
  readonly code = 'REGISTRY_CONTENT_INVALID';
}

/** `push` of a name with no local image: Docker's `An image does not exist locally with the tag`. */
export class NoLocalImage extends EngineError {
  readonly code = 'NO_LOCAL_IMAGE';
}
