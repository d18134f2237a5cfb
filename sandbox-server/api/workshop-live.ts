import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { LiveClass } from '../workshops/live-class.js';
import type { Hint, Learner, LearnerPosition, Workshop } from '../workshops/workshop-types.js';
import type { Workshops } from '../workshops/workshops.js';

/** Deltas to one dashboard at most this often (≤ 4 messages a second, whatever 300 learners do). */
export const DASHBOARD_FLUSH_MS = 250;
/**
 * What a dashboard may leave unread in its socket's buffer. Past it nothing more is queued for it:
 * deltas are dropped and it gets one fresh `class` snapshot once it has read the backlog, so a slow
 * reader costs the server this much memory, never more.
 */
export const DASHBOARD_MAX_BUFFERED_BYTES = 1024 * 1024;
/** How often who is "slow" is looked at again (time alone makes a learner slow). */
export const RESTUCK_MS = 5_000;

export const WS_CLOSE_UNAUTHORIZED = 4401;
export const WS_CLOSE_GONE = 4404;

type LearnerSandboxMessage =
  { session: { id: string; token: string; idleTimeoutMs: number }; simulator: null } | { session: null; simulator: string };

interface Dashboard {
  socket: WebSocket;
  dirty: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
  lastSent: number;
  /** Deltas were dropped (a slow reader): the next thing it gets is the whole class. */
  needsSnapshot: boolean;
  watching: string | undefined;
}

interface Room {
  workshopId: string;
  klass: Promise<LiveClass> | undefined;
  dashboards: Set<Dashboard>;
  learners: Map<string, Set<WebSocket>>;
  /** Each connected learner's latest engine state (JSON text, ≤ the cap), for a dashboard that starts watching them. */
  states: Map<string, string>;
  ticker: ReturnType<typeof setInterval> | undefined;
}

/**
 * The workshops' live side: the dashboards' and the learners' sockets of each workshop, and what
 * the routes tell them. Memory only: after a restart the pages reconnect and get the class anew.
 */
export class WorkshopLive {
  private readonly rooms = new Map<string, Room>();
  /**
   * How many times each workshop's secret was revoked (or the workshop deleted) in this process.
   * A dashboard takes the count before its secret is checked and is let in only if it has not
   * moved: a check that read the old secret just before a revoke cannot outlive it.
   */
  private readonly revocations = new Map<string, number>();
  /**
   * The workshops deleted in this process. A learner's auth that read their token before the
   * delete may finish after `deleted` closed the room's sockets: `addLearner` looks here, so it
   * cannot open the room again (an id each, as `revocations` keeps a count each).
   */
  private readonly deletedIds = new Set<string>();

  constructor(
    private readonly options: {
      workshops: Workshops;
      hasSandbox: (learnerId: string) => boolean;
      now: () => number;
      log: FastifyBaseLogger;
    },
  ) {}

  // —— dashboards ——

  /** What a dashboard's auth holds on to while its secret is checked (`addDashboard` compares it). */
  authEpoch(workshopId: string): number {
    return this.revocations.get(workshopId) ?? 0;
  }

  /**
   * An authenticated dashboard: it gets the class, then deltas. Undefined, and the socket closed
   * 4401 as for a wrong secret, when the secret was revoked since `epoch` (its check may have read the old one).
   */
  async addDashboard(workshop: Workshop, socket: WebSocket, epoch: number): Promise<Dashboard | undefined> {
    if (this.authEpoch(workshop.id) !== epoch) {
      socket.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized');
      return undefined;
    }
    const room = this.room(workshop.id);
    const dashboard: Dashboard = { socket, dirty: new Set(), timer: undefined, lastSent: 0, needsSnapshot: false, watching: undefined };
    room.dashboards.add(dashboard);
    room.klass ??= this.load(room, workshop);
    room.ticker ??= setInterval(() => void this.restuck(room), RESTUCK_MS);
    room.ticker.unref?.();
    const klass = await room.klass;
    // Who is slow as of now, not as of the last look: the other dashboards hear of the change too.
    for (const id of klass.restuck(this.options.now())) for (const d of room.dashboards) if (d !== dashboard) this.markDirty(room, d, id);
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'class', workshop, learners: klass.rows(), now: this.options.now() }));
    return dashboard;
  }

  removeDashboard(workshopId: string, dashboard: Dashboard): void {
    const room = this.rooms.get(workshopId);
    if (!room) return;
    clearTimeout(dashboard.timer);
    room.dashboards.delete(dashboard);
    if (room.dashboards.size === 0) {
      // No one looks: the class is read again from the store when one does.
      clearInterval(room.ticker);
      room.ticker = undefined;
      room.klass = undefined;
    }
    this.dropIfEmpty(room);
  }

  watch(workshopId: string, dashboard: Dashboard, learnerId: string | undefined): void {
    dashboard.watching = learnerId;
    const room = this.rooms.get(workshopId);
    const state = learnerId === undefined ? undefined : room?.states.get(learnerId);
    if (room && state !== undefined) this.relayTo(room, dashboard, `{"type":"watch","learnerId":${JSON.stringify(learnerId)},"state":${state}}`);
  }

  // —— learners ——

  /** An authenticated learner's socket; false, and the socket closed 4404, when the workshop was deleted while their token was checked. */
  addLearner(workshopId: string, learnerId: string, socket: WebSocket): boolean {
    if (this.deletedIds.has(workshopId)) {
      socket.close(WS_CLOSE_GONE, 'workshop deleted');
      return false;
    }
    const room = this.room(workshopId);
    let sockets = room.learners.get(learnerId);
    if (!sockets) room.learners.set(learnerId, (sockets = new Set()));
    sockets.add(socket);
    return true;
  }

  removeLearner(workshopId: string, learnerId: string, socket: WebSocket): void {
    const room = this.rooms.get(workshopId);
    const sockets = room?.learners.get(learnerId);
    if (!room || !sockets) return;
    sockets.delete(socket);
    if (sockets.size === 0) {
      room.learners.delete(learnerId);
      room.states.delete(learnerId);
    }
    this.dropIfEmpty(room);
  }

  /** A learner's engine state after a command: kept as their latest, relayed to the dashboards watching them. */
  learnerState(workshopId: string, learnerId: string, stateJson: string): void {
    const room = this.rooms.get(workshopId);
    if (!room) return;
    room.states.set(learnerId, stateJson);
    const message = `{"type":"watch","learnerId":${JSON.stringify(learnerId)},"state":${stateJson}}`;
    for (const d of room.dashboards) if (d.watching === learnerId) this.relayTo(room, d, message);
  }

  learnerOutput(workshopId: string, learnerId: string, output: { command: string; output: string; exitCode: number | null }): void {
    const room = this.rooms.get(workshopId);
    if (!room) return;
    const message = JSON.stringify({ type: 'output', learnerId, ...output });
    for (const d of room.dashboards) if (d.watching === learnerId) this.relayTo(room, d, message);
  }

  // —— what the routes tell ——

  joined(workshopId: string, learner: Learner): void {
    this.withClass(workshopId, (klass) => klass.joined(learner, this.options.now()), learner.id);
  }

  moved(workshopId: string, learnerId: string, position: LearnerPosition): void {
    this.withClass(workshopId, (klass) => klass.moved(learnerId, position, this.options.now()), learnerId);
  }

  /** Whether a learner holds a sandbox changed (a join, a resume, a reset). */
  sandboxChanged(workshopId: string, learnerId: string): void {
    this.withClass(workshopId, () => undefined, learnerId);
  }

  workshopChanged(workshop: Workshop): void {
    const room = this.rooms.get(workshop.id);
    if (!room) return;
    // New stuck settings flag learners anew at once, not at the next 5-second look.
    if (room.klass) {
      const loading = room.klass;
      void loading.then((klass) => {
        const changed = klass.useSettings(workshop.stuckSettings, this.options.now());
        if (room.klass === loading) for (const id of changed) for (const d of room.dashboards) this.markDirty(room, d, id);
      });
    }
    const toDashboard = JSON.stringify({ type: 'workshop', workshop });
    for (const d of room.dashboards) this.relayTo(room, d, toDashboard);
    const toLearner = JSON.stringify({ type: 'workshop', workshop: learnerView(workshop) });
    for (const sockets of room.learners.values()) for (const s of sockets) sendText(s, toLearner);
  }

  /**
   * The instructor secret was revoked: every open dashboard authenticated with the old one — all
   * of them, there was no other — is closed as a wrong secret is (4401); learners are not touched.
   */
  revoked(workshopId: string): void {
    this.revocations.set(workshopId, this.authEpoch(workshopId) + 1);
    const room = this.rooms.get(workshopId);
    for (const d of room?.dashboards ?? []) d.socket.close(WS_CLOSE_UNAUTHORIZED, 'instructor secret revoked');
  }

  /** The workshop is deleted: every socket of it closes, and the class is forgotten. */
  deleted(workshopId: string): void {
    // A dashboard whose auth is still being checked is refused too, not let into a class that is gone.
    this.revocations.set(workshopId, this.authEpoch(workshopId) + 1);
    // And a learner's likewise (`addLearner`).
    this.deletedIds.add(workshopId);
    const room = this.rooms.get(workshopId);
    if (!room) return;
    for (const d of room.dashboards) d.socket.close(WS_CLOSE_GONE, 'workshop deleted');
    for (const sockets of room.learners.values()) for (const s of sockets) s.close(WS_CLOSE_GONE, 'workshop deleted');
  }

  hint(workshopId: string, learnerId: string | null, hint: Hint): void {
    const room = this.rooms.get(workshopId);
    if (!room) return;
    const message = JSON.stringify({ type: 'hint', hint });
    const to = learnerId === null ? [...room.learners.values()] : [room.learners.get(learnerId) ?? new Set<WebSocket>()];
    for (const sockets of to) for (const s of sockets) sendText(s, message);
  }

  reset(workshopId: string, learnerId: string, sandbox: LearnerSandboxMessage): void {
    const room = this.rooms.get(workshopId);
    const message = JSON.stringify({ type: 'reset', ...sandbox });
    for (const s of room?.learners.get(learnerId) ?? []) sendText(s, message);
    this.sandboxChanged(workshopId, learnerId);
  }

  /** How many sockets are open (tests, and a bounded-memory check). */
  get counts(): { rooms: number; dashboards: number; learners: number } {
    let dashboards = 0;
    let learners = 0;
    for (const room of this.rooms.values()) {
      dashboards += room.dashboards.size;
      for (const sockets of room.learners.values()) learners += sockets.size;
    }
    return { rooms: this.rooms.size, dashboards, learners };
  }

  // —— inside ——

  private room(workshopId: string): Room {
    let room = this.rooms.get(workshopId);
    if (!room) {
      room = { workshopId, klass: undefined, dashboards: new Set(), learners: new Map(), states: new Map(), ticker: undefined };
      this.rooms.set(workshopId, room);
    }
    return room;
  }

  private dropIfEmpty(room: Room): void {
    if (room.dashboards.size === 0 && room.learners.size === 0) this.rooms.delete(room.workshopId);
  }

  private async load(room: Room, workshop: Workshop): Promise<LiveClass> {
    const klass = new LiveClass(workshop.stuckSettings, this.options.hasSandbox);
    const store = this.options.workshops.store;
    const learners = await store.learners(room.workshopId);
    const now = this.options.now();
    for (const row of learners) {
      const { tokenHash: _, ...learner } = row;
      klass.add(learner, await store.progress(learner.id), now);
    }
    return klass;
  }

  /** Applies a change to the class (once it is loaded, in the order changes came) and marks the learner changed for every dashboard. */
  private withClass(workshopId: string, change: (klass: LiveClass) => unknown, learnerId: string): void {
    const room = this.rooms.get(workshopId);
    if (!room?.klass) return;
    const loading = room.klass;
    void loading
      .then((klass) => {
        change(klass);
        if (room.klass === loading) for (const d of room.dashboards) this.markDirty(room, d, learnerId);
      })
      .catch((error: unknown) => this.options.log.error({ err: error, workshop: workshopId }, 'the live class could not be loaded'));
  }

  private async restuck(room: Room): Promise<void> {
    const klass = await room.klass;
    if (!klass) return;
    for (const id of klass.restuck(this.options.now())) for (const d of room.dashboards) this.markDirty(room, d, id);
  }

  private markDirty(room: Room, d: Dashboard, learnerId: string): void {
    d.dirty.add(learnerId);
    if (d.timer) return;
    const wait = Math.max(0, d.lastSent + DASHBOARD_FLUSH_MS - this.options.now());
    d.timer = setTimeout(() => void this.flush(room, d), wait);
  }

  private async flush(room: Room, d: Dashboard): Promise<void> {
    d.timer = undefined;
    const klass = await room.klass;
    if (!klass || d.socket.readyState !== d.socket.OPEN) return;
    if (d.socket.bufferedAmount > DASHBOARD_MAX_BUFFERED_BYTES) {
      // A slow reader: nothing more queued for it; the whole class once it catches up.
      d.needsSnapshot = true;
      d.dirty.clear();
      d.timer = setTimeout(() => void this.flush(room, d), DASHBOARD_FLUSH_MS);
      return;
    }
    d.lastSent = this.options.now();
    if (d.needsSnapshot) {
      d.needsSnapshot = false;
      d.dirty.clear();
      const workshop = await this.options.workshops.store.workshop(room.workshopId);
      if (!workshop) return;
      const { secretHash: _, ...publicWorkshop } = workshop;
      d.socket.send(JSON.stringify({ type: 'class', workshop: publicWorkshop, learners: klass.rows(), now: this.options.now() }));
      return;
    }
    const learners = [...d.dirty].flatMap((id) => klass.row(id) ?? []);
    d.dirty.clear();
    if (learners.length > 0) d.socket.send(JSON.stringify({ type: 'learners', learners, now: this.options.now() }));
  }

  /** A message to one dashboard unless its reader is behind (then it waits for a snapshot instead). */
  private relayTo(room: Room, d: Dashboard, message: string): void {
    if (d.socket.readyState !== d.socket.OPEN) return;
    if (d.socket.bufferedAmount > DASHBOARD_MAX_BUFFERED_BYTES) {
      d.needsSnapshot = true;
      d.timer ??= setTimeout(() => void this.flush(room, d), DASHBOARD_FLUSH_MS);
      return;
    }
    d.socket.send(message);
  }
}

function sendText(socket: WebSocket, text: string): void {
  // A learner's socket carries little (hints, a reset); a closed one is skipped.
  if (socket.readyState === socket.OPEN) socket.send(text);
}

/** What a learner sees of their workshop (as the join answers it). */
export function learnerView(workshop: {
  id: string;
  title: string;
  lessons: string[];
  learnerLimits: object;
  closedAt: number | null;
  sharedRegistry: boolean;
}) {
  return {
    id: workshop.id,
    title: workshop.title,
    lessons: workshop.lessons,
    learnerLimits: workshop.learnerLimits,
    closedAt: workshop.closedAt,
    sharedRegistry: workshop.sharedRegistry,
  };
}
