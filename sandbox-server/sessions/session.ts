import type { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { SessionLimits } from './session-limits.js';
import { removeSessionRoot, type SessionRoot } from './session-root.js';
import { tokenMatches } from './session-secret.js';

/** The workshop a learner's session is for (the workshop routes say so): its registry reaches the class namespace. */
export interface WorkshopSeat {
  workshopId: string;
  /** The learner's own part of the class namespace (`Learner.handle`). */
  handle: string;
  /** Whether the instructor has the class namespace open now (workshops.ts `sharedRegistryOpen`). */
  sharedOpen(): Promise<boolean>;
}

/** What an engine factory is told about the session it makes an engine for. */
export interface SessionContext {
  id: string;
  root: SessionRoot;
  limits: SessionLimits;
  /** Set for a workshop learner's session. */
  workshop?: WorkshopSeat;
  /** The engine's work that no request awaits failed (EngineOptions.onFailure): the session is failed. */
  fail(error: unknown): void;
  /** Work to do once the session's engine has stopped, before its root goes (its registry namespace: registry-host.ts). */
  afterClose?(cleanup: () => Promise<void>): void;
}

/**
 * Makes the engine of one session: on Linux the real backends rooted in the session's
 * state root, in unit tests the simulator. Called once per session, never per request.
 */
export type EngineFactory = (session: SessionContext) => Promise<Engine>;

/** Docker: `docker stop` waits 10 s before SIGKILL; an engine past that and a margin is stuck. */
const DISPOSE_TIMEOUT_MS = 15_000;

/** One learner's sandbox: an engine, its state root, and who may use it. */
export class Session implements SessionContext {
  lastUsedAt: number;
  private closing: Promise<void> | undefined;
  private readonly commands = new Set<AbortController>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly closeListeners = new Set<() => void>();
  private readonly failureListeners = new Set<(reason: string) => void>();
  private readonly unsubscribe: () => void;
  private failedWith: string | undefined;

  constructor(
    readonly id: string,
    readonly tokenHash: Buffer,
    readonly root: SessionRoot,
    readonly limits: SessionLimits,
    readonly engine: Engine,
    now: number,
    /** The client address that made it (per-address cap). */
    readonly address = '',
    /** What the engine factory asked to run after the engine (SessionContext.afterClose). */
    private readonly cleanups: readonly (() => Promise<void>)[] = [],
  ) {
    this.lastUsedAt = now;
    // One engine subscription per session, fanned out to the session's sockets.
    this.unsubscribe = engine.subscribe((event) => {
      for (const listener of this.listeners) {
        // A listener is a socket of this session: its failure is this session's, and must
        // not break the engine's own work that emitted the event.
        try {
          listener(event);
        } catch (error) {
          this.fail(error);
        }
      }
    });
  }

  /** Why the session failed (its engine's work raised an error), or undefined. */
  get failure(): string | undefined {
    return this.failedWith;
  }

  /**
   * Marks the session failed: an error of its work escaped (an engine's background work,
   * a socket handler, or the last-resort handler's catch). Only this session ends; the
   * registry removes it and tells its learner why (SESSION_FAILED).
   */
  fail(error: unknown): void {
    if (this.failedWith !== undefined || this.closed) return;
    const detail = error instanceof Error ? error.message : String(error);
    this.failedWith = `this sandbox stopped after an internal error (${detail.slice(0, 200)}); reload the page to start a new one`;
    for (const listener of this.failureListeners) listener(this.failedWith);
    this.failureListeners.clear();
  }

  /** Called once if the session fails. */
  onFailure(listener: (reason: string) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** A session running a command is in use, however long the command takes. */
  get busy(): boolean {
    return this.commands.size > 0;
  }

  get runningCommands(): number {
    return this.commands.size;
  }

  tokenMatches(token: string): boolean {
    return tokenMatches(this.tokenHash, token);
  }

  touch(now: number): void {
    this.lastUsedAt = now;
  }

  /** Registers a running command so that closing the session interrupts it. */
  track(controller: AbortController): () => void {
    this.commands.add(controller);
    return () => this.commands.delete(controller);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the session closes (deleted, expired, server shutting down). */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * Interrupts its commands, stops its containers and removes everything below its
   * state root. Idempotent: a delete racing the sweeper closes once.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    for (const controller of this.commands) controller.abort(new Error('session closed'));
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
    this.unsubscribe();
    this.listeners.clear();
    let disposeError: unknown;
    try {
      await withTimeout(this.engine.dispose(), DISPOSE_TIMEOUT_MS, 'the engine did not stop its containers in time');
    } catch (error) {
      disposeError = error;
    }
    // What it left outside its root (its registry namespace) goes too, each whatever the others do.
    const cleaned = await Promise.allSettled(this.cleanups.map((cleanup) => cleanup()));
    // The root goes even when the engine failed to stop cleanly: its mounts are
    // unmounted lazily, and nothing of the session may stay behind.
    await removeSessionRoot(this.root);
    const failed = cleaned.find((r) => r.status === 'rejected');
    if (disposeError === undefined && failed) disposeError = failed.reason;
    if (disposeError !== undefined) throw disposeError;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
