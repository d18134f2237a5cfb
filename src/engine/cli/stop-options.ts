import { ContainerStateError } from '../containers/container-errors.js';
import type { StopOptions } from '../containers/container-manager.js';
import { int, str, type FlagSpec, type ParsedArgs } from './flags.js';
import { parseSignal } from './signals.js';

/** `docker stop` and `docker restart` take the same flags (docker/cli `stopOptions`). */
export const stopFlags: FlagSpec[] = [
  { long: 'timeout', short: 't', type: 'int' },
  // Docker: `--time` is the deprecated spelling of `--timeout`, hidden from help and completion.
  { long: 'time', type: 'int', hidden: true },
  { long: 'signal', short: 's', type: 'string' },
];

export function stopOptions(parsed: ParsedArgs): StopOptions {
  const raw = str(parsed, 'signal');
  const signal = raw === undefined ? undefined : parseSignal(raw);
  if (raw !== undefined && !signal) throw new ContainerStateError('INVALID_SIGNAL', `Invalid signal: ${raw}`);
  return { timeoutSeconds: int(parsed, 'timeout') ?? int(parsed, 'time'), signal };
}
