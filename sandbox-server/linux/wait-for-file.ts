import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** A check of last resort while watching: inotify does not lose events for a directory it
 * watches, but a watch that could not be set up (ENOSPC: max_user_watches) falls back to it. */
const FALLBACK_POLL_MS = 50;

/**
 * Resolves true once `file` exists, false if `until` settles first. Watches the file's
 * directory (inotify), so a runtime's pid file is seen the moment runc renames it into
 * place — a poll with backoff saw it up to its interval late, on every container start.
 */
export function waitForFile(file: string, until: Promise<unknown>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let watcher: FSWatcher | undefined;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (found: boolean) => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(timer);
      resolve(found);
    };
    const name = basename(file);
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        // Linux reports the name; without one (never on inotify) look anyway.
        if ((changed === null || changed === name) && existsSync(file)) finish(true);
      });
      watcher.on('error', () => (timer ??= setInterval(() => existsSync(file) && finish(true), FALLBACK_POLL_MS)));
    } catch {
      timer = setInterval(() => existsSync(file) && finish(true), FALLBACK_POLL_MS);
    }
    // After the watch is set: a file made before it would raise no event.
    if (existsSync(file)) finish(true);
    void until.then(
      () => finish(existsSync(file)),
      () => finish(existsSync(file)),
    );
  });
}
