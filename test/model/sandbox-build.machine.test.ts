import { describe, expect, it } from 'vitest';
import { createActor, initialTransition, transition } from 'xstate';
import { systemClock } from '../../src/engine/drivers/clock.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { engineSource } from '../../src/model/engine.source.js';
import { sandboxMachine, type SandboxEvent } from '../../src/model/sandbox.machine.js';
import { toLayerGraph } from '../../src/views/layer-graph.view-model.js';
import { simEngine } from '../engine/builder/sim-fixture.js';

type Action = { type: string; params?: unknown };
const asksForState = (actions: readonly Action[]) =>
  actions.some((a) => a.type === 'xstate.sendTo' && (a.params as { event?: { type?: string } }).event?.type === 'state.request');
const emitted = (event: EngineEvent): SandboxEvent => ({ type: 'engine.emitted', event });

describe('sandboxMachine during a build', () => {
  it('asks for a snapshot after each finished or cached step, not when a step starts', () => {
    const buildId = 'b1d0000000a1';
    const events: EngineEvent[] = [
      { type: 'command.started', command: 'docker build -t app .' },
      { type: 'build.step.started', buildId, step: 1, total: 3, instruction: 'FROM busybox', line: 1 },
      { type: 'build.step.done', buildId, step: 1, diffId: null, emptyLayer: true },
      { type: 'build.step.started', buildId, step: 2, total: 3, instruction: 'COPY a /a', line: 2 },
      { type: 'build.step.cached', buildId, step: 2, diffId: 'sha256:' + 'a'.repeat(64) },
      { type: 'build.step.started', buildId, step: 3, total: 3, instruction: 'RUN exit 1', line: 3 },
      { type: 'build.done', buildId, imageId: null },
      { type: 'build.step.failed', buildId, step: 3, exitCode: 1, message: 'exit 1' },
      { type: 'command.finished', command: 'docker build -t app .', exitCode: 1 },
    ];
    let [snapshot] = initialTransition(sandboxMachine(), {});
    [snapshot] = transition(sandboxMachine(), snapshot, { type: 'source.opened' });
    const asked: boolean[] = [];
    for (const e of events) {
      let actions: Action[];
      [snapshot, actions] = transition(sandboxMachine(), snapshot, emitted(e)) as [typeof snapshot, Action[]];
      asked.push(asksForState(actions));
    }
    expect(asked).toEqual([false, false, true, false, true, false, false, false, true]);
    expect(snapshot.context.running).toBe(0);
  });

  it("grows the graph step by step from a simulated build, and the image takes over the build's nodes", async () => {
    // Real time: each RUN sleeps, so each step's snapshot arrives before the next step ends.
    const dockerfile = 'FROM busybox\nRUN sleep 0.1 && echo a > /a\nRUN sleep 0.1 && echo b > /b\nRUN sleep 0.1 && echo c > /c\n';
    const { engine } = await simEngine({ Dockerfile: dockerfile }, systemClock);
    const actor = createActor(sandboxMachine().provide({ actors: { source: engineSource(engine) } })).start();
    await expect.poll(() => actor.getSnapshot().context.revision).toBe(1);
    const seen: { layers: number; building: boolean; keys: string[] }[] = [];
    let drawnRevision = actor.getSnapshot().context.revision;
    actor.subscribe(({ context }) => {
      if (!context.state || context.revision === drawnRevision) return;
      drawnRevision = context.revision;
      const graph = toLayerGraph(context.state, context.previous);
      seen.push({ layers: graph.layers.length, building: graph.images.some((i) => i.building), keys: graph.layers.map((l) => l.key) });
    });
    const result = await engine.exec('docker build -t app .');
    expect(result.exitCode).toBe(0);
    await expect.poll(() => seen.at(-1)?.building).toBe(false);
    const building = seen.filter((s) => s.building);
    // The last step's snapshot may lose the race to command.finished's (the newer answer wins): both are true.
    expect(building.map((s) => s.layers).slice(0, 3)).toEqual([1, 2, 3]);
    expect(building.map((s) => s.layers)).toEqual([1, 2, 3, 4].slice(0, building.length));
    expect(seen.at(-1)!.layers).toBe(4);
    // The image takes over the build's nodes: every key the build drew is the final image's.
    for (const s of building) expect(seen.at(-1)!.keys.slice(0, s.keys.length)).toEqual(s.keys);
    const app = (await engine.state()).images.find((i) => i.repoTags.includes('app:latest'))!;
    expect(seen.at(-1)!.keys).toEqual(app.chainIds);
    actor.stop();
    await engine.dispose();
  });
});
