import type { TerminalSize } from '../engine.js';

/**
 * Applies the client's terminal sizes to a `-t` process until `stop` is called (the
 * command returned). Docker's CLI does the same: the size once at attach, then on every
 * SIGWINCH. A resize that fails (the process has just exited) is of no consequence.
 */
export function followTtySize(
  sizes: AsyncIterable<TerminalSize> | undefined,
  resize: ((size: TerminalSize) => Promise<void>) | undefined,
): () => void {
  if (!sizes || !resize) return () => undefined;
  let following = true;
  void (async () => {
    for await (const size of sizes) {
      if (!following) break;
      await resize(size).catch(() => undefined);
    }
  })().catch(() => undefined);
  return () => {
    following = false;
  };
}
