import { assign, fromCallback, sendTo, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { EngineEvent } from '../engine/events.js';
import type { StateSnapshot } from '../engine/state.js';
import { lazy } from '../engine/lazy.js';

/**
 * The UI's model of a sandbox: the engine's latest state snapshot and the one before it
 * (so views can tell what changed), what the learner selected, and whether the source
 * is connected. It is the only thing views subscribe to. The source — the in-browser
 * engine or the sandbox server's WebSocket — is an actor supplied with `.provide()`,
 * so this file does no I/O.
 */

export type Selection = { kind: 'image'; id: string } | { kind: 'layer'; chainId: string } | { kind: 'container'; id: string };

export type Connection = 'connecting' | 'open' | 'closed' | 'failed';

/**
 * What a source sends its parent. A snapshot from outside the page (a server's) is checked
 * against the schema where it enters (remote-engine.ts, the dashboard's watch panel), which
 * sends `state.refused` for one that fails; the in-page engine's own snapshots need no check.
 * So the machine holds no schema: zod stays off a widget's start (issue 15).
 */
export type SourceEvent =
  | { type: 'source.opened' }
  | { type: 'source.closed'; reason?: string }
  | { type: 'source.failed'; message: string }
  | { type: 'engine.emitted'; event: EngineEvent }
  | { type: 'state.received'; state: StateSnapshot }
  | { type: 'state.refused'; message: string };

/** What the machine asks of its source. */
export type SourceRequest = { type: 'state.request' };

export type SandboxEvent = SourceEvent | { type: 'selection.set'; selection: Selection } | { type: 'selection.clear' } | { type: 'connection.retry' };

/** What a source is started with: the machine's `input.source`, as given. */
export type SourceInput = Record<string, unknown>;

export interface SandboxInput {
  /** Passed on to the source (a session to attach to, a preset to load). */
  source?: SourceInput;
}

export interface SandboxContext {
  state: StateSnapshot | null;
  previous: StateSnapshot | null;
  /** Counts accepted snapshots: a view can skip work when it has not moved. */
  revision: number;
  selection: Selection | null;
  connection: Connection;
  error: string | null;
  lastEvent: EngineEvent | null;
  /** Commands started and not yet finished. */
  running: number;
  sourceInput: SourceInput;
}

/** Events that can happen outside any command: a container's process exits or writes. */
const ASYNC_EVENTS: ReadonlySet<EngineEvent['type']> = new Set(['container.status', 'container.changed', 'container.removed']);
/** A build step that finished, from the cache or by running: its layer is in the engine's state. */
const BUILD_STEP_EVENTS: ReadonlySet<EngineEvent['type']> = new Set(['build.step.done', 'build.step.cached']);

/** Commands under way after `event`: a replaced engine's commands will never report their end. */
function runningAfter(running: number, event: EngineEvent): number {
  switch (event.type) {
    case 'command.started':
      return running + 1;
    case 'command.finished':
      return Math.max(0, running - 1);
    case 'engine.replaced':
      return 0;
    default:
      return running;
  }
}

export function selectionExists(state: StateSnapshot | null, selection: Selection): boolean {
  if (!state) return false;
  switch (selection.kind) {
    case 'image':
      return state.images.some((i) => i.id === selection.id);
    case 'layer':
      return state.layers.some((l) => l.chainId === selection.chainId);
    case 'container':
      return state.containers.some((c) => c.id === selection.id);
  }
}

/** The model of one engine's state the picture draws; built on first use (lazy.ts): a widget makes it after its terminal takes keys. */
export const sandboxMachine = lazy(() =>
  setup({
    types: {
      context: {} as SandboxContext,
      events: {} as SandboxEvent,
      // No `input` type: xstate would then require an input for every actor, and a
      // sandbox needs none (`createActor(sandboxMachine(), { input?: SandboxInput })`).
    },
    actors: {
      // A machine nobody gave a source is offline, and says so.
      source: fromCallback<SourceRequest, SourceInput>(({ sendBack }) => {
        sendBack({ type: 'source.failed', message: 'no source provided' } satisfies SourceEvent);
      }),
    },
    guards: {
      /** A snapshot taken before the one shown (a lower `seq`) arrived late: the later state wins. */
      isOlderState: ({ context, event }) => {
        if (event.type !== 'state.received' || context.state?.seq === undefined) return false;
        return event.state.seq !== undefined && event.state.seq < context.state.seq;
      },
      selectionExists: ({ context, event }) => event.type === 'selection.set' && selectionExists(context.state, event.selection),
      /**
       * A snapshot is worth asking for when a command has finished (the last one, if
       * several overlap), when something changed while no command runs, or when a build
       * step has finished (the snapshot's `builds` then holds the image one step taller);
       * other events in the middle of a command would only fetch states about to be replaced.
       */
      needsState: ({ context, event }) => {
        if (event.type !== 'engine.emitted') return false;
        if (event.event.type === 'command.finished') return context.running <= 1;
        if (event.event.type === 'engine.replaced') return true;
        if (BUILD_STEP_EVENTS.has(event.event.type)) return true;
        return context.running === 0 && ASYNC_EVENTS.has(event.event.type);
      },
    },
    actions: {
      acceptState: assign(({ context, event }) => {
        if (event.type !== 'state.received') return {};
        const state = event.state;
        return {
          previous: context.state,
          state,
          revision: context.revision + 1,
          error: null,
          selection: context.selection && selectionExists(state, context.selection) ? context.selection : null,
        };
      }),
      rejectState: assign(({ event }) => (event.type === 'state.refused' ? { error: `invalid state snapshot: ${event.message}` } : {})),
      recordEvent: assign(({ context, event }) => {
        if (event.type !== 'engine.emitted') return {};
        const e = event.event;
        return { lastEvent: e, running: runningAfter(context.running, e) };
      }),
      requestState: sendTo('source', { type: 'state.request' } satisfies SourceRequest),
      select: assign(({ event }) => (event.type === 'selection.set' ? { selection: event.selection } : {})),
      clearSelection: assign({ selection: null }),
    },
  }).createMachine({
    id: 'sandbox',
    context: ({ input }) => ({
      state: null,
      previous: null,
      revision: 0,
      selection: null,
      connection: 'connecting',
      error: null,
      lastEvent: null,
      running: 0,
      sourceInput: (input as SandboxInput | undefined)?.source ?? {},
    }),
    initial: 'live',
    on: {
      'state.received': [{ guard: 'isOlderState' }, { actions: 'acceptState' }],
      'state.refused': { actions: 'rejectState' },
      'selection.set': { guard: 'selectionExists', actions: 'select' },
      'selection.clear': { actions: 'clearSelection' },
    },
    states: {
      live: {
        invoke: { id: 'source', src: 'source', input: ({ context }) => context.sourceInput },
        initial: 'connecting',
        on: {
          'source.closed': { target: 'offline', actions: assign({ connection: 'closed', running: 0, error: ({ event }) => event.reason ?? null }) },
          'source.failed': { target: 'offline', actions: assign({ connection: 'failed', running: 0, error: ({ event }) => event.message }) },
        },
        states: {
          connecting: {
            entry: assign({ connection: 'connecting' }),
            on: { 'source.opened': 'connected' },
          },
          connected: {
            entry: [assign({ connection: 'open', error: null }), 'requestState'],
            on: {
              'engine.emitted': [{ guard: 'needsState', actions: ['recordEvent', 'requestState'] }, { actions: 'recordEvent' }],
            },
          },
        },
      },
      offline: {
        on: { 'connection.retry': 'live' },
      },
    },
  }),
);

export type SandboxMachine = ReturnType<typeof sandboxMachine>;
export type SandboxActor = ActorRefFrom<SandboxMachine>;
export type SandboxSnapshot = SnapshotFrom<SandboxMachine>;
