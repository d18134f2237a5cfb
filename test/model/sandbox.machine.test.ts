import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { EngineEvent } from '../../src/engine/events.js';
import type { StateSnapshot } from '../../src/engine/state.js';
import { checkedState } from '../../src/model/checked-state.js';
import { engineSource } from '../../src/model/engine.source.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import {
  sandboxMachine,
  type SandboxEvent,
  type SandboxMachine,
  type SourceEvent,
  type SourceInput,
  type SourceRequest,
} from '../../src/model/sandbox.machine.js';
import { lessonState } from '../views/fixtures.js';

type Action = { type: string; params?: unknown };
const asksForState = (actions: readonly Action[]) =>
  actions.some((a) => a.type === 'xstate.sendTo' && (a.params as { event?: { type?: string } }).event?.type === 'state.request');

/** Runs events through the pure transition function, collecting every action it returns. */
function run(events: SandboxEvent[], from?: AnyMachineSnapshot) {
  let [snapshot, actions] = from ? [from, [] as Action[]] : initialTransition(sandboxMachine(), {});
  const all: Action[][] = [actions as Action[]];
  for (const e of events) {
    [snapshot, actions] = transition(sandboxMachine(), snapshot as never, e);
    all.push(actions as Action[]);
  }
  return { snapshot: snapshot as ReturnType<typeof initialTransition<SandboxMachine>>[0], actions: all };
}

const emitted = (event: EngineEvent): SandboxEvent => ({ type: 'engine.emitted', event });

describe('sandboxMachine (pure transitions)', () => {
  it('starts its source, and asks for a snapshot once connected', () => {
    const { snapshot, actions } = run([{ type: 'source.opened' }]);
    expect(actions[0]!.map((a) => a.type)).toContain('xstate.spawnChild');
    expect(snapshot.value).toEqual({ live: 'connected' });
    expect(snapshot.context.connection).toBe('open');
    expect(asksForState(actions[1]!)).toBe(true);
  });

  it('keeps the current snapshot and the previous one', () => {
    const { state } = lessonState();
    const smaller: StateSnapshot = { ...state, containers: [] };
    const { snapshot } = run([{ type: 'source.opened' }, { type: 'state.received', state: smaller }, { type: 'state.received', state }]);
    expect(snapshot.context.state).toEqual(state);
    expect(snapshot.context.previous).toEqual(smaller);
    expect(snapshot.context.revision).toBe(2);
  });

  it("keeps the later state when an earlier snapshot arrives last: the last build step's after the finished image's", () => {
    const { state } = lessonState();
    const building: StateSnapshot = { ...state, seq: 7, builds: [] };
    const built: StateSnapshot = { ...state, seq: 9 };
    const { snapshot } = run([{ type: 'source.opened' }, { type: 'state.received', state: built }, { type: 'state.received', state: building }]);
    expect(snapshot.context.state).toEqual(built);
    expect(snapshot.context.revision).toBe(1);
    const next = run([{ type: 'state.received', state: { ...state, seq: 9, containers: [] } }], snapshot).snapshot;
    expect(next.context.state?.containers).toEqual([]);
  });

  it('gets snapshots numbered by the engine: a later state has a higher seq', async () => {
    const engine = await createSimEngine();
    try {
      const before = (await engine.state()).seq!;
      await engine.exec('docker create --network none busybox true');
      expect((await engine.state()).seq).toBeGreaterThan(before);
    } finally {
      await engine.dispose();
    }
  });

  it('refuses a snapshot that does not match the schema, keeping the last good one', () => {
    const { state } = lessonState();
    const { snapshot } = run([checkedState(state), checkedState({ ...state, schemaVersion: 2 })]);
    expect(snapshot.context.state).toEqual(state);
    expect(snapshot.context.revision).toBe(1);
    expect(snapshot.context.error).toMatch(/^invalid state snapshot: /);
  });

  it('checks a snapshot from outside the page before the machine sees it: a wrong field, a stray key, not an object', () => {
    const { state } = lessonState();
    expect(checkedState(state)).toEqual({ type: 'state.received', state });
    const bad = [
      { ...state, schemaVersion: 2 },
      { ...state, containers: [{ ...state.containers[0], id: '../../etc' }] },
      { ...state, images: 'busybox' },
      null,
      '{"schemaVersion":1}',
    ];
    for (const b of bad) expect(checkedState(b).type).toBe('state.refused');
    // Keys the schema does not know never reach the picture.
    const extra = checkedState({ ...state, evil: '<img src=x onerror=alert(1)>' });
    expect(extra.type === 'state.received' && 'evil' in extra.state).toBe(false);
  });

  it('asks for a snapshot when the last command finishes, not in the middle of one', () => {
    const { actions, snapshot } = run([
      { type: 'source.opened' },
      emitted({ type: 'command.started', command: 'docker build -t app .' }),
      emitted({ type: 'layer.created', diffId: 'sha256:' + 'a'.repeat(64), chainId: 'sha256:' + 'b'.repeat(64) }),
      emitted({ type: 'container.status', id: 'c'.repeat(64), status: 'exited', exitCode: 0 }),
      emitted({ type: 'command.finished', command: 'docker build -t app .', exitCode: 0 }),
    ]);
    expect(actions.slice(2).map(asksForState)).toEqual([false, false, false, true]);
    expect(snapshot.context.running).toBe(0);
    expect(snapshot.context.lastEvent?.type).toBe('command.finished');
  });

  it('asks for a snapshot when a container changes on its own, between commands', () => {
    const { actions } = run([{ type: 'source.opened' }, emitted({ type: 'container.status', id: 'c'.repeat(64), status: 'exited', exitCode: 0 })]);
    expect(asksForState(actions[2]!)).toBe(true);
  });

  it("asks for a snapshot when the page's engine is replaced, even in the middle of the old one's command", () => {
    const { actions, snapshot } = run([
      { type: 'source.opened' },
      emitted({ type: 'command.started', command: 'docker run busybox sleep 60' }),
      // A reset: the new engine is empty and emits nothing, and the old command never finishes.
      emitted({ type: 'engine.replaced' }),
      emitted({ type: 'container.status', id: 'c'.repeat(64), status: 'exited', exitCode: 0 }),
    ]);
    expect(actions.slice(2).map(asksForState)).toEqual([false, true, true]);
    expect(snapshot.context.running).toBe(0);
  });

  it('selects only what exists, and drops a selection whose object is gone', () => {
    const { state, c1, app } = lessonState();
    const missing = run([
      { type: 'state.received', state },
      { type: 'selection.set', selection: { kind: 'container', id: 'f'.repeat(64) } },
    ]);
    expect(missing.snapshot.context.selection).toBeNull();
    const chosen = run([
      { type: 'state.received', state },
      { type: 'selection.set', selection: { kind: 'container', id: c1.id } },
    ]);
    expect(chosen.snapshot.context.selection).toEqual({ kind: 'container', id: c1.id });
    const gone = run([{ type: 'state.received', state: { ...state, containers: [] } }], chosen.snapshot);
    expect(gone.snapshot.context.selection).toBeNull();
    const layer = run(
      [
        { type: 'selection.set', selection: { kind: 'layer', chainId: app.chainIds[1]! } },
        { type: 'state.received', state: { ...state, containers: [] } },
      ],
      chosen.snapshot,
    );
    expect(layer.snapshot.context.selection).toEqual({ kind: 'layer', chainId: app.chainIds[1] });
    expect(run([{ type: 'selection.clear' }], layer.snapshot).snapshot.context.selection).toBeNull();
  });

  it('goes offline when the source closes or fails, and back on retry', () => {
    const failed = run([{ type: 'source.opened' }, { type: 'source.failed', message: 'socket reset' }]);
    expect(failed.snapshot.value).toBe('offline');
    expect(failed.snapshot.context).toMatchObject({ connection: 'failed', error: 'socket reset' });
    const closed = run([{ type: 'source.closed' }]);
    expect(closed.snapshot.context.connection).toBe('closed');
    const retried = run([{ type: 'connection.retry' }], failed.snapshot);
    expect(retried.snapshot.value).toEqual({ live: 'connecting' });
    expect(retried.snapshot.context.connection).toBe('connecting');
    expect(retried.actions[1]!.map((a) => a.type)).toContain('xstate.spawnChild');
  });
});

describe('sandboxMachine with a source actor', () => {
  it('follows a fake source: snapshot on connect, again after a command', async () => {
    const { state } = lessonState();
    const requests: SourceRequest[] = [];
    let push: (e: SourceEvent) => void = () => {};
    const fakeSource = fromCallback<SourceRequest, SourceInput>(({ sendBack, receive }) => {
      push = sendBack;
      receive((r) => {
        requests.push(r);
        sendBack({ type: 'state.received', state: requests.length === 1 ? { ...state, containers: [] } : state } satisfies SourceEvent);
      });
      sendBack({ type: 'source.opened' } satisfies SourceEvent);
    });
    const actor = createActor(sandboxMachine().provide({ actors: { source: fakeSource } }));
    actor.start();
    expect(actor.getSnapshot().context.revision).toBe(1);
    expect(actor.getSnapshot().context.state?.containers).toEqual([]);
    push({ type: 'engine.emitted', event: { type: 'command.started', command: 'docker run busybox' } });
    push({ type: 'engine.emitted', event: { type: 'command.finished', command: 'docker run busybox', exitCode: 0 } });
    expect(requests).toHaveLength(2);
    expect(actor.getSnapshot().context.state).toEqual(state);
    expect(actor.getSnapshot().context.previous?.containers).toEqual([]);
    actor.stop();
  });

  it('is offline without a source', () => {
    const actor = createActor(sandboxMachine()).start();
    expect(actor.getSnapshot().value).toBe('offline');
    expect(actor.getSnapshot().context.error).toBe('no source provided');
    actor.stop();
  });

  it('reads an engine through engineSource, and unsubscribes when stopped', async () => {
    const { state } = lessonState();
    const listeners = new Set<(e: EngineEvent) => void>();
    const engine = {
      state: async () => state,
      subscribe(listener: (e: EngineEvent) => void) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const actor = createActor(sandboxMachine().provide({ actors: { source: engineSource(engine) } })).start();
    await new Promise((r) => setTimeout(r, 0));
    expect(actor.getSnapshot().context.state).toEqual(state);
    for (const l of listeners) l({ type: 'container.removed', id: 'a'.repeat(64) });
    expect(actor.getSnapshot().context.lastEvent).toEqual({ type: 'container.removed', id: 'a'.repeat(64) });
    actor.stop();
    expect(listeners.size).toBe(0);
  });

  it('keeps the newest answer when an older request answers late', async () => {
    const { state } = lessonState();
    const older: StateSnapshot = { ...state, containers: [] };
    const pending: ((s: StateSnapshot) => void)[] = [];
    let emit: (e: EngineEvent) => void = () => {};
    const engine = {
      state: () => new Promise<StateSnapshot>((resolve) => pending.push(resolve)),
      subscribe(listener: (e: EngineEvent) => void) {
        emit = listener;
        return () => {};
      },
    };
    const actor = createActor(sandboxMachine().provide({ actors: { source: engineSource(engine) } })).start();
    emit({ type: 'container.status', id: 'a'.repeat(64), status: 'exited', exitCode: 0 });
    expect(pending).toHaveLength(2);
    pending[1]!(state);
    await new Promise((r) => setTimeout(r, 0));
    pending[0]!(older);
    await new Promise((r) => setTimeout(r, 0));
    expect(actor.getSnapshot().context.state).toEqual(state);
    expect(actor.getSnapshot().context.revision).toBe(1);
    actor.stop();
  });
});
