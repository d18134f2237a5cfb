/**
 * `p`'s outcome, or `onAbort()`'s as soon as `signal` aborts, whichever comes first: how a
 * process (or a shell waiting for its child) stops waiting when it is killed, whatever it awaits.
 */
export function raceAbort<T>(signal: AbortSignal, p: Promise<T>, onAbort: () => T): Promise<T> {
  if (signal.aborted) return new Promise<T>((resolve) => resolve(onAbort()));
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      try {
        resolve(onAbort());
      } catch (e) {
        reject(e);
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
