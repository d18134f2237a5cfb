import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { toLayerGraph, type LayerGraph } from '../../src/views/layer-graph.view-model.js';

// The picture's volumes from the engine's own state (the snapshot both backends send the page):
// a volume is a node of its own, each container that mounts it a link to it.
describe('toLayerGraph: volumes in the picture', () => {
  let engine: Engine;
  afterEach(async () => engine?.dispose());

  const run = async (...commands: string[]) => {
    for (const command of commands) {
      const r = await engine.exec(command);
      expect(r.exitCode, `${command}\n${r.stdout}${r.stderr}`).toBe(0);
    }
  };
  const links = (graph: LayerGraph) =>
    graph.edges
      .filter((e) => e.kind === 'volume')
      .map((e) => `${graph.containers.find((c) => c.key === e.from)!.name} → ${e.to}`)
      .sort();

  it('draws each volume once, linked to every container that holds it (stopped ones too), above them', async () => {
    engine = await createSimEngine();
    await run(
      'docker volume create spare',
      'docker run --name visit1 -v book:/data busybox true',
      'docker run --name visit2 -v book:/data:ro busybox true',
      'docker run --name cache -v /cache busybox true',
    );
    const graph = toLayerGraph(await engine.state());

    const anonymous = (await engine.state()).volumes!.find((v) => v.anonymous)!.name;
    expect(graph.volumes.map((v) => v.key).sort()).toEqual([`volume:${anonymous}`, 'volume:book', 'volume:spare'].sort());
    expect(links(graph)).toEqual([`cache → volume:${anonymous}`, 'visit1 → volume:book', 'visit2 → volume:book']);

    const book = graph.volumes.find((v) => v.name === 'book')!;
    expect([...book.mounts].sort((a, b) => a.container.localeCompare(b.container))).toEqual([
      { container: 'visit1', destination: '/data', readOnly: false },
      { container: 'visit2', destination: '/data', readOnly: true },
    ]);
    const holders = graph.containers.filter((c) => c.name.startsWith('visit'));
    expect(book.row).toBe(Math.max(...holders.map((c) => c.row)) + 1);
    // Each link leaves a container's slot and reaches the volume's.
    for (const e of graph.edges.filter((e) => e.to === book.key)) {
      const c = graph.containers.find((c) => c.key === e.from)!;
      expect([e.fromCol, e.fromRow, e.toCol, e.toRow]).toEqual([c.col, c.row, book.col, book.row]);
    }

    const unused = graph.volumes.find((v) => v.name === 'spare')!;
    expect(unused.mounts).toEqual([]);
    expect(graph.edges.some((e) => e.to === unused.key)).toBe(false);
    // An anonymous volume's 64 hex show as 12, as IDs do.
    expect(graph.volumes.find((v) => v.anonymous)!.label).toBe(anonymous.slice(0, 12));

    // No two nodes share a slot, and every node is inside the grid.
    const slots = [...graph.layers, ...graph.containers, ...graph.volumes].map((n) => `${n.col},${n.row}`);
    expect(new Set(slots).size).toBe(slots.length);
    for (const v of graph.volumes) expect(v.col < graph.cols && v.row < graph.rows).toBe(true);
  });

  it('follows the session: a removed container takes its link, rm -v its anonymous volume, a new volume is marked new', async () => {
    engine = await createSimEngine();
    await run(
      'docker run --name visit1 -v book:/data busybox true',
      'docker run --name visit2 -v book:/data busybox true',
      'docker run --name cache -v /cache busybox true',
    );
    const before = await engine.state();
    await run('docker rm visit1', 'docker rm -v cache', 'docker volume create fresh');
    const graph = toLayerGraph(await engine.state(), before);
    expect(links(graph)).toEqual(['visit2 → volume:book']);
    expect(graph.volumes.map((v) => [v.name, v.isNew]).sort()).toEqual([
      ['book', false],
      ['fresh', true],
    ]);
    await run('docker rm visit2', 'docker volume rm book');
    expect(toLayerGraph(await engine.state()).volumes.map((v) => v.name)).toEqual(['fresh']);
  });
});
