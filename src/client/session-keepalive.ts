/** The part of `document` the keep-alive watches (a fake in unit tests). */
export interface Visibility {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface KeepAliveOptions {
  /** Starts the session's idle clock again on the server. */
  ping(): Promise<void>;
  /** The server's idle timeout. */
  idleTimeoutMs: number;
  visibility: Visibility;
  /** The tab has been hidden so long that the session ends in `msLeft` unless the learner comes back. */
  onExpiring(msLeft: number): void;
  /** The learner is back (the tab is visible again): a warning given is over. */
  onBack(): void;
  onPingFailed(error: unknown): void;
}

/** How long before the idle timeout a hidden tab's learner is warned. */
export function warningLeadMs(idleTimeoutMs: number): number {
  return Math.min(2 * 60_000, Math.floor(idleTimeoutMs / 4));
}

/**
 * Keeps a sandbox session alive while its tab is visible — a ping every third of the idle
 * timeout (at most every 5 minutes) — and lets a hidden or abandoned tab's session expire,
 * so the server can reclaim it (issue 18). Before a hidden tab's session would end, the
 * page is told (`onExpiring`), and when the tab shows again it pings at once: a session
 * that ended meanwhile is found before the learner's next command. Returns the stop.
 */
export function keepSessionAlive(options: KeepAliveOptions): () => void {
  const { idleTimeoutMs, visibility } = options;
  const every = Math.max(1000, Math.min(5 * 60_000, Math.floor(idleTimeoutMs / 3)));
  let interval: ReturnType<typeof setInterval> | undefined;
  let warning: ReturnType<typeof setTimeout> | undefined;
  let warned = false;
  const ping = () => void options.ping().catch((error: unknown) => options.onPingFailed(error));
  const onChange = () => {
    clearInterval(interval);
    clearTimeout(warning);
    if (visibility.visibilityState === 'visible') {
      if (warned) options.onBack();
      warned = false;
      ping();
      interval = setInterval(ping, every);
    } else {
      // One last ping as the tab hides: the session's idle clock and this timer start together.
      ping();
      const lead = warningLeadMs(idleTimeoutMs);
      warning = setTimeout(
        () => {
          warned = true;
          options.onExpiring(lead);
        },
        Math.max(0, idleTimeoutMs - lead),
      );
    }
  };
  visibility.addEventListener('visibilitychange', onChange);
  if (visibility.visibilityState === 'visible') interval = setInterval(ping, every);
  else onChange();
  return () => {
    visibility.removeEventListener('visibilitychange', onChange);
    clearInterval(interval);
    clearTimeout(warning);
  };
}
