import type { FastifyBaseLogger } from 'fastify';
import { Session, type EngineFactory, type WorkshopSeat } from './session.js';
import { SandboxUnavailable, ServerFull, TooManySessions } from './session-errors.js';
import { inSession } from './session-scope.js';
import type { SessionLimits } from './session-limits.js';
import { createSessionRoot, removeSessionRoot, sweepSessionRoots } from './session-root.js';
import { lockStateDir } from './state-dir-lock.js';
import { SESSION_ID_PATTERN, hashToken, newSessionId, newSessionToken, tokenMatches } from './session-secret.js';

export interface SessionRegistryOptions {
  stateDir: string;
  limits: SessionLimits;
  /** Absent where no sandbox can run: creating a session then says so. */
  engineFactory?: EngineFactory;
  /** Give each session a size-limited tmpfs (Linux, root); otherwise a plain directory. */
  tmpfs: boolean;
  /** Milliseconds since the epoch; injected so expiry is tested with a fake clock. */
  now?: () => number;
  log?: FastifyBaseLogger;
  /**
   * Removes what a crashed run of the backends left (containers, cgroups, mounts), called
   * once before the first session. The session roots themselves are swept here.
   */
  sweepBackend?: () => Promise<void>;
}

const MAX_REMEMBERED_FAILURES = 1000;

/** Every live session of this server: creation within limits, lookup by id + token, expiry. */
export class SessionRegistry {
  readonly limits: SessionLimits;
  readonly now: () => number;
  private readonly sessions = new Map<string, Session>();
  /** Sessions that failed, so their learner is told why rather than "no such session" (bounded, oldest dropped). */
  private readonly failed = new Map<string, { tokenHash: Buffer; reason: string; at: number }>();
  private pending = 0;
  private readonly pendingByAddress = new Map<string, number>();
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** Removals and creations under way, which shutdown waits for. */
  private readonly closing = new Set<Promise<void>>();
  private unlock: (() => Promise<void>) | undefined;

  constructor(private readonly options: SessionRegistryOptions) {
    this.limits = options.limits;
    this.now = options.now ?? Date.now;
  }

  get available(): boolean {
    return this.options.engineFactory !== undefined && !this.closed;
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Sweeps what a crashed run left behind, then starts the expiry sweeper. */
  async open(): Promise<void> {
    this.unlock = await lockStateDir(this.options.stateDir);
    await this.options.sweepBackend?.();
    const removed = await sweepSessionRoots(this.options.stateDir);
    if (removed.length > 0) this.options.log?.warn({ sessions: removed.length }, 'removed the state of sessions from an earlier run');
    this.sweeper = setInterval(() => void this.sweep(), this.limits.sweepIntervalMs);
    // The sweeper alone must not keep the process alive.
    this.sweeper.unref();
  }

  /** Live sessions (and ones being set up) of one client address. */
  sessionsOf(address: string): number {
    let n = this.pendingByAddress.get(address) ?? 0;
    for (const s of this.sessions.values()) if (s.address === address) n++;
    return n;
  }

  /**
   * A new session for a client at `address` (Fastify's request.ip: the proxy's client when trusted),
   * with `limits` in place of the server's when given (a workshop's learner: never more than the server's),
   * and the workshop's `seat` for a learner's (their registry reaches the class namespace).
   */
  async create(address = '', limits: SessionLimits = this.limits, seat?: WorkshopSeat): Promise<{ session: Session; token: string }> {
    const creating = this.createNow(address, limits, seat);
    // Shutdown waits for a session being set up too: one made as the server closes is closed
    // again at once, and its tmpfs must be unmounted before the process exits.
    const settled = creating.then(
      () => undefined,
      () => undefined,
    );
    this.closing.add(settled);
    void settled.finally(() => this.closing.delete(settled));
    return creating;
  }

  private async createNow(address: string, limits: SessionLimits, seat: WorkshopSeat | undefined): Promise<{ session: Session; token: string }> {
    const factory = this.options.engineFactory;
    if (!factory || this.closed) throw new SandboxUnavailable('the sandbox is not available on this server; the site runs its simulator instead');
    // Sessions still being set up count, so a burst of creations can not overshoot.
    if (this.sessions.size + this.pending >= this.limits.maxSessions) {
      throw new ServerFull(`the sandbox server is full (all ${this.limits.maxSessions} sandboxes are in use); the site runs its simulator instead`);
    }
    if (this.sessionsOf(address) >= this.limits.maxSessionsPerAddress) {
      throw new TooManySessions(
        `this address already has ${this.limits.maxSessionsPerAddress} sandboxes open; close one (or a tab), or ask the instructor to raise LAYERLAB_SESSIONS_PER_ADDRESS`,
      );
    }
    this.pending++;
    this.pendingByAddress.set(address, (this.pendingByAddress.get(address) ?? 0) + 1);
    try {
      const id = newSessionId();
      const token = newSessionToken();
      const root = await createSessionRoot(id, {
        stateDir: this.options.stateDir,
        tmpfsBytes: this.options.tmpfs ? limits.stateBytes : undefined,
      });
      // The engine may report a failure before its session exists: held, and failing the session once made.
      const early: unknown[] = [];
      const made: { session?: Session } = {};
      const cleanups: (() => Promise<void>)[] = [];
      const context = {
        id,
        root,
        limits,
        ...(seat ? { workshop: seat } : {}),
        fail: (error: unknown) => (made.session ? made.session.fail(error) : early.push(error)),
        afterClose: (cleanup: () => Promise<void>) => void cleanups.push(cleanup),
      };
      let engine;
      try {
        engine = await inSession(context, () => factory(context));
      } catch (error) {
        await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
        await removeSessionRoot(root).catch(() => undefined);
        this.options.log?.error({ err: error, session: id }, 'could not start a session engine');
        throw new SandboxUnavailable('the sandbox could not start a session; the site runs its simulator instead');
      }
      const session = new Session(id, hashToken(token), root, limits, engine, this.now(), address, cleanups);
      if (this.closed) {
        await session.close();
        throw new SandboxUnavailable('the server is shutting down');
      }
      this.sessions.set(id, session);
      session.onFailure((reason) => {
        this.options.log?.error({ session: id, reason }, 'session failed');
        this.rememberFailure(session, reason);
        void this.remove(id, 'failed');
      });
      made.session = session;
      for (const error of early) session.fail(error);
      this.options.log?.info({ session: id, tmpfs: root.tmpfs }, 'session created');
      return { session, token };
    } finally {
      this.pending--;
      const left = (this.pendingByAddress.get(address) ?? 1) - 1;
      if (left > 0) this.pendingByAddress.set(address, left);
      else this.pendingByAddress.delete(address);
    }
  }

  private rememberFailure(session: Session, reason: string): void {
    this.failed.set(session.id, { tokenHash: session.tokenHash, reason, at: this.now() });
    // Bounded: a flood of failing sessions can not grow the map past this.
    if (this.failed.size > MAX_REMEMBERED_FAILURES) this.failed.delete(this.failed.keys().next().value!);
  }

  /** Why the session with this id and token failed, if it did (the same silence as `find` otherwise). */
  failure(id: string, token: string): string | undefined {
    const failed = this.failed.get(id);
    return failed && tokenMatches(failed.tokenHash, token) ? failed.reason : undefined;
  }

  /**
   * The session with this id whose token matches, else undefined — the same answer for
   * an unknown id and a wrong token, so a caller learns nothing about other sessions.
   */
  find(id: string, token: string): Session | undefined {
    if (!SESSION_ID_PATTERN.test(id)) return undefined;
    const session = this.sessions.get(id);
    if (!session || session.closed) return undefined;
    return session.tokenMatches(token) ? session : undefined;
  }

  async remove(id: string, reason: 'deleted' | 'expired' | 'shutdown' | 'failed' = 'deleted'): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const closing = session.close().then(
      () => this.options.log?.info({ session: id, reason }, 'session removed'),
      (error: unknown) => this.options.log?.error({ err: error, session: id, reason }, 'session removed, but its engine did not stop cleanly'),
    );
    // Shutdown waits for removals already under way (a page's DELETE as it closes), not
    // only for the sessions still listed: their mounts must be gone before the process is.
    this.closing.add(closing);
    try {
      await closing;
    } finally {
      this.closing.delete(closing);
    }
  }

  /** Removes sessions idle for longer than the limit; a session running a command is not idle. */
  async sweep(): Promise<string[]> {
    const deadline = this.now() - this.limits.idleTimeoutMs;
    const expired = [...this.sessions.values()].filter((s) => !s.busy && s.lastUsedAt <= deadline).map((s) => s.id);
    for (const [id, failed] of this.failed) if (failed.at <= deadline) this.failed.delete(id);
    await Promise.all(expired.map((id) => this.remove(id, 'expired')));
    return expired;
  }

  /** Removes every session; after it, creating one is refused. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    // A creation under way ends first: it closes the session it made once it sees `closed`.
    await Promise.all(this.closing);
    await Promise.all([...this.sessions.keys()].map((id) => this.remove(id, 'shutdown')));
    await Promise.all(this.closing);
    await this.unlock?.();
  }
}
