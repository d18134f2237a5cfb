import type { CommandResult, Engine, ExecOptions } from '../engine/engine.js';
import type { EngineEvent } from '../engine/events.js';
import type { StateSnapshot } from '../engine/state.js';
import type { Workspace } from '../engine/drivers/workspace.js';
import { SESSION_GONE_CODES, type RemoteEngine } from './remote-engine.js';
import { keepSessionAlive, type Visibility } from './session-keepalive.js';

/** What the page tells the learner about its session (the terminal shows it, in their language). */
export type SessionNotice =
  /** The session was gone (idle timeout, deleted, server restart): a new one took its place. */
  | { kind: 'renewed' }
  /** The learner asked for a fresh environment and got one. */
  | { kind: 'reset' }
  /** A workshop's instructor reset the learner's sandbox: a new one, on which the lesson's steps run again. */
  | { kind: 'resetByInstructor' }
  /** The sandbox server did not answer. */
  | { kind: 'unreachable' }
  /** The page runs on the simulator from now on (the learner chose it, or the server refused a new session). */
  | { kind: 'simulator' }
  /** A hidden tab: the session ends in `msLeft` unless the learner comes back. */
  | { kind: 'expiring'; msLeft: number }
  /** The tab is visible again. */
  | { kind: 'back' };

/** The command did not run: its session was replaced (`renewed`); restore the state, then run it again. */
export class SessionRenewed extends Error {
  constructor() {
    super('the sandbox session was replaced; the command did not run');
    this.name = 'SessionRenewed';
  }
}

/** The command did not run: the sandbox server did not answer. */
export class SandboxUnreachable extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'SandboxUnreachable';
  }
}

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;
export const isSessionGone = (error: unknown) => SESSION_GONE_CODES.has(String(codeOf(error)));
export const isUnreachable = (error: unknown) => codeOf(error) === 'UNREACHABLE' || codeOf(error) === 'CONNECTION_LOST';

export interface HealingOptions {
  /** A new engine of the same kind (a new sandbox session, its starting files written). */
  open(): Promise<Engine>;
  /** The simulator, for when the sandbox can not be had; undefined on a page that already runs it. */
  simulate?(reason: unknown): Promise<Engine>;
  /** A new session may be refused for good (server full): the simulator then, if this says so. */
  fallsBack?(error: unknown): boolean;
  notify(notice: SessionNotice): void;
  /** The page's visibility, for the keep-alive; none: no keep-alive. */
  visibility?: Visibility;
}

/**
 * The page's engine, whose backing engine can be replaced: a sandbox session that is gone
 * is replaced by a new one (and the page's islands keep their subscriptions, since they
 * subscribed here), the learner may switch to the simulator when the server is
 * unreachable, or ask for a fresh environment. State snapshots keep counting up across a
 * replacement (`seq`), so the picture takes the new engine's state as the latest.
 */
export class HealingEngine implements Engine {
  private target: Engine;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private unsubscribe: () => void = () => undefined;
  private stopKeepAlive: () => void = () => undefined;
  private replacing: Promise<void> | undefined;
  private seqBase = 0;
  private lastSeq = -1;
  private last: StateSnapshot | undefined;
  private disposed = false;

  constructor(
    first: Engine,
    private readonly options: HealingOptions,
  ) {
    this.target = first;
    this.follow(first);
  }

  /** The current backing engine (for tests). */
  get current(): Engine {
    return this.target;
  }

  async exec(commandLine: string, opts?: ExecOptions): Promise<CommandResult> {
    const target = this.target;
    try {
      return await target.exec(commandLine, opts);
    } catch (error) {
      if (opts?.signal?.aborted) throw error;
      if (target !== this.target) throw new SessionRenewed();
      if (isSessionGone(error)) {
        await this.renew().catch((failed: unknown) => {
          // No new session either: the server is down (a restart under way), said as such.
          throw isUnreachable(failed) ? new SandboxUnreachable(failed) : failed;
        });
        throw new SessionRenewed();
      }
      if (isUnreachable(error)) {
        this.options.notify({ kind: 'unreachable' });
        throw new SandboxUnreachable(error);
      }
      throw error;
    }
  }

  async state(): Promise<StateSnapshot> {
    const target = this.target;
    let state: StateSnapshot;
    try {
      state = await target.state();
    } catch (error) {
      if (isSessionGone(error) && target === this.target) await this.renew();
      else if (isUnreachable(error) && this.last) return this.last;
      else if (target === this.target) throw error;
      state = await this.target.state();
    }
    if (state.seq === undefined) return state;
    const seq = state.seq + this.seqBase;
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.last = { ...state, seq };
    return this.last;
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get workspace(): Workspace | undefined {
    if (!this.target.workspace) return undefined;
    // Always the current engine's: a file written after a replacement goes to the new one.
    return {
      read: (path) => this.target.workspace!.read(path),
      open: (path) => this.target.workspace!.open(path),
      write: (path, bytes) => this.target.workspace!.write(path, bytes),
      writeStream: (path, chunks) => this.target.workspace!.writeStream(path, chunks),
      list: (dir) => this.target.workspace!.list(dir),
    };
  }

  /** A new session in place of one that is gone; one at a time, however many callers found it gone. */
  renew(): Promise<void> {
    return this.replace(() => this.options.open(), 'renewed');
  }

  /** A fresh environment, asked for by the learner: what the old one held is removed. */
  reset(): Promise<void> {
    return this.replace(() => this.options.open(), 'reset');
  }

  /**
   * A new session in place of one a workshop's instructor reset. Not `renew`: the learner is told
   * who reset it (not that it ended by itself), and not `reset`: the lesson's steps run again on it.
   */
  resetByInstructor(): Promise<void> {
    return this.replace(() => this.options.open(), 'resetByInstructor');
  }

  /** The simulator from now on (the learner chose it while the server was unreachable). */
  useSimulator(): Promise<void> {
    const simulate = this.options.simulate;
    if (!simulate) return Promise.resolve();
    return this.replace(() => simulate('chosen'), 'simulator');
  }

  get canSimulate(): boolean {
    return this.options.simulate !== undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopKeepAlive();
    this.unsubscribe();
    this.listeners.clear();
    await this.target.dispose();
  }

  private replace(open: () => Promise<Engine>, kind: 'renewed' | 'reset' | 'resetByInstructor' | 'simulator'): Promise<void> {
    this.replacing ??= (async () => {
      let next: Engine;
      let told: SessionNotice['kind'] = kind;
      try {
        next = await open();
      } catch (error) {
        if (this.options.simulate && this.options.fallsBack?.(error)) {
          next = await this.options.simulate(error);
          told = 'simulator';
        } else {
          if (isUnreachable(error)) this.options.notify({ kind: 'unreachable' });
          throw error;
        }
      }
      if (this.disposed) return void (await next.dispose());
      const old = this.target;
      this.stopKeepAlive();
      this.unsubscribe();
      // The old session is gone or abandoned: its delete may fail, which changes nothing.
      void old.dispose().catch(() => undefined);
      this.seqBase = this.lastSeq + 1;
      this.target = next;
      this.follow(next);
      // The islands that draw the state (the picture) read the new engine's: it may be empty, and emit nothing.
      for (const listener of this.listeners) listener({ type: 'engine.replaced' });
      this.options.notify({ kind: told });
    })().finally(() => (this.replacing = undefined));
    return this.replacing;
  }

  private follow(engine: Engine): void {
    this.unsubscribe = engine.subscribe((event) => {
      for (const listener of this.listeners) listener(event);
    });
    const remote = engine as Partial<RemoteEngine>;
    const visibility = this.options.visibility;
    if (!visibility || typeof remote.ping !== 'function' || !remote.idleTimeoutMs) return;
    this.stopKeepAlive = keepSessionAlive({
      ping: () => remote.ping!(),
      idleTimeoutMs: remote.idleTimeoutMs,
      visibility,
      onExpiring: (msLeft) => this.options.notify({ kind: 'expiring', msLeft }),
      onBack: () => this.options.notify({ kind: 'back' }),
      onPingFailed: (error) => {
        if (engine !== this.target) return;
        if (isSessionGone(error)) this.renew().catch(() => undefined);
        else if (isUnreachable(error)) this.options.notify({ kind: 'unreachable' });
      },
    });
  }
}
