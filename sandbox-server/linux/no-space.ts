import { NoSpaceLeft } from '../../src/engine/errors.js';

/** ENOSPC/EDQUOT as the engine's typed error (a session's tmpfs is its disk quota);
 * any other error as it is. */
export function asNoSpace(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new NoSpaceLeft("no space left on device: the session's disk is full; remove images or containers to make room");
}
