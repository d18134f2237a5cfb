import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepSessionAlive, warningLeadMs } from '../../src/client/session-keepalive.js';

/** A tab whose visibility the test flips. */
function aTab() {
  const listeners = new Set<() => void>();
  const tab = {
    visibilityState: 'visible' as DocumentVisibilityState,
    addEventListener: (_: 'visibilitychange', l: () => void) => void listeners.add(l),
    removeEventListener: (_: 'visibilitychange', l: () => void) => void listeners.delete(l),
    set(state: DocumentVisibilityState) {
      tab.visibilityState = state;
      for (const l of listeners) l();
    },
  };
  return tab;
}

describe('keepSessionAlive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const IDLE = 30 * 60_000;

  it('pings while the tab is visible, often enough that the idle timeout never passes', async () => {
    const tab = aTab();
    const ping = vi.fn(async () => undefined);
    const stop = keepSessionAlive({ ping, idleTimeoutMs: IDLE, visibility: tab, onExpiring: vi.fn(), onBack: vi.fn(), onPingFailed: vi.fn() });
    await vi.advanceTimersByTimeAsync(2 * IDLE);
    // Every 5 minutes at most: 12 pings in an hour, never a gap as long as the timeout.
    expect(ping).toHaveBeenCalledTimes(12);
    stop();
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(ping).toHaveBeenCalledTimes(12);
  });

  it("lets a hidden tab's session expire, warns before it does, and pings at once when the learner is back", async () => {
    const tab = aTab();
    const ping = vi.fn(async () => undefined);
    const onExpiring = vi.fn();
    const onBack = vi.fn();
    keepSessionAlive({ ping, idleTimeoutMs: IDLE, visibility: tab, onExpiring, onBack, onPingFailed: vi.fn() });
    tab.set('hidden');
    expect(ping).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(IDLE - warningLeadMs(IDLE) - 1);
    expect(onExpiring).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onExpiring).toHaveBeenCalledWith(2 * 60_000);
    // Hidden, no ping keeps the session: the server reclaims it.
    await vi.advanceTimersByTimeAsync(IDLE);
    expect(ping).toHaveBeenCalledTimes(1);
    tab.set('visible');
    expect([onBack.mock.calls.length, ping.mock.calls.length]).toEqual([1, 2]);
  });

  it('hands a failed ping to the page (a session found gone is replaced there)', async () => {
    const tab = aTab();
    const error = Object.assign(new Error('gone'), { code: 'NO_SUCH_SESSION' });
    const onPingFailed = vi.fn();
    keepSessionAlive({
      ping: async () => Promise.reject(error),
      idleTimeoutMs: 3000,
      visibility: tab,
      onExpiring: vi.fn(),
      onBack: vi.fn(),
      onPingFailed,
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(onPingFailed).toHaveBeenCalledWith(error);
  });
});
