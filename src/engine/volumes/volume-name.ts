import { InvalidVolumeName } from './volume-errors.js';

/** moby volume/local: `validName` — a letter or digit, then letters, digits, `_`, `.`, `-`; two characters at least. */
const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** NAME_MAX: Docker's mkdir of the volume's directory fails past it; refused here first, the same on both backends. */
export const MAX_VOLUME_NAME_BYTES = 255;

/**
 * A name the learner gave a volume, checked as moby's local driver checks it (so `..`, `/`
 * and NUL never reach a store), or refused in Docker's words.
 */
export function checkVolumeName(name: string): string {
  if (new TextEncoder().encode(name).length > MAX_VOLUME_NAME_BYTES)
    throw new InvalidVolumeName(`create ${name}: volume name is longer than ${MAX_VOLUME_NAME_BYTES} bytes`, { name: name.slice(0, 64) });
  if (!VALID_NAME.test(name))
    throw new InvalidVolumeName(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
      { name },
    );
  return name;
}
