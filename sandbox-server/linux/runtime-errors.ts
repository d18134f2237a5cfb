import { readFile } from 'node:fs/promises';
import { MountRefused, ProcessStartError, RuntimeContainerNotFound, RuntimeStateError, UnmappedUser } from '../../src/engine/errors.js';

/** The last error runc wrote to its JSON log (`--log x --log-format json`), if any. */
export async function lastRuntimeError(logFile: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(logFile, 'utf8');
  } catch {
    return undefined;
  }
  let msg: string | undefined;
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { level?: string; msg?: string };
      if (entry.level === 'error' || entry.level === 'fatal') msg = entry.msg;
    } catch {
      // runc may interleave a non-JSON line (a Go panic); it is not an error entry.
    }
  }
  return msg;
}

/**
 * A process the runtime could not start, classified as the Docker CLI does
 * (`runStartContainerErr`): not found → 127, not executable → 126.
 */
export function startFailure(message: string): Error {
  const reason = message.replace(/^.*unable to start container process: /, '');
  // A mount runc refused (checkProcMount): its own words, before the file checks below misread them.
  if (/^error during container init: error mounting /.test(reason)) return new MountRefused(`failed to create task for container: ${reason}`);
  if (/executable file not found|no such file or directory/.test(reason)) return new ProcessStartError(reason, 127);
  if (/permission denied|is a directory/.test(reason)) return new ProcessStartError(reason, 126);
  // runc: a --user outside the user namespace's range (a daemon error to Docker's CLI: 125).
  if (/unmapped (user|gid)/.test(reason)) return new UnmappedUser(reason);
  return new Error(`OCI runtime failed: ${message}`);
}

/** runc's complaint about an operation, as the engine's typed errors. */
export function runtimeFailure(id: string, stderr: string): Error {
  const message = stderr.trim().replace(/^time="[^"]*" level=\w+ msg="(.*)"$/s, '$1');
  if (/does not exist/.test(message)) return new RuntimeContainerNotFound(`container ${id} does not exist`, { id });
  if (/not running|not paused|not stopped|stopped|paused|cannot|already/.test(message)) return new RuntimeStateError(message, { id });
  return new Error(`OCI runtime failed: ${message}`);
}
