import { describe, expect, it } from 'vitest';
import { diffIdOfSelection, selectionForDiffId } from '../../src/components/layer-link.js';
import { toLayerGraph } from '../../src/views/layer-graph.view-model.js';
import { aChain, anImage, aState, busyboxSpec, lessonState } from '../views/fixtures.js';

describe("linking the graph's layers and the editor's lines", () => {
  it("names a chosen layer by its diffID, the build's word for it; other choices name none", () => {
    const { state, appLayers, c1 } = lessonState();
    const graph = toLayerGraph(state);
    expect(diffIdOfSelection(graph, { kind: 'layer', chainId: appLayers[0]!.chainId })).toBe(appLayers[0]!.diffId);
    expect(diffIdOfSelection(graph, { kind: 'container', id: c1.id })).toBeUndefined();
    expect(diffIdOfSelection(graph, { kind: 'layer', chainId: `sha256:${'0'.repeat(64)}` })).toBeUndefined();
  });

  it('selects the layer a diffID names, and none for a diffID the graph lacks', () => {
    const { state, webLayers } = lessonState();
    const graph = toLayerGraph(state);
    expect(selectionForDiffId(graph, webLayers[0]!.diffId, null)).toEqual({ kind: 'layer', chainId: webLayers[0]!.chainId });
    expect(selectionForDiffId(graph, `sha256:${'f'.repeat(64)}`, null)).toBeNull();
  });

  it('for one diffID on two chains (the same COPY on two bases), keeps the selected one, else takes the new one', () => {
    const copy = { createdBy: 'COPY hello.txt /hello.txt # buildkit', files: { '/hello.txt': 15 } };
    const baseA = aChain([busyboxSpec]);
    const baseB = aChain([{ createdBy: 'RUN /bin/sh -c echo b > /b # buildkit', files: { '/b': 2 } }], baseA);
    const onA = aChain([copy], baseA);
    const onB = aChain([copy], baseB);
    expect(onA[0]!.diffId).toBe(onB[0]!.diffId);
    expect(onA[0]!.chainId).not.toBe(onB[0]!.chainId);
    const first = aState({ images: [anImage({ tags: ['a:1'], layers: [...baseA, ...onA] })], layers: [...baseA, ...onA] });
    const both = aState({
      images: [anImage({ tags: ['a:1'], layers: [...baseA, ...onA] }), anImage({ tags: ['b:1'], layers: [...baseB, ...onB] })],
      layers: [...baseA, ...onA, ...baseB, ...onB],
    });
    const graph = toLayerGraph(both, first);
    const diffId = onA[0]!.diffId;
    expect(selectionForDiffId(graph, diffId, { kind: 'layer', chainId: onA[0]!.chainId })).toEqual({ kind: 'layer', chainId: onA[0]!.chainId });
    expect(selectionForDiffId(graph, diffId, null)).toEqual({ kind: 'layer', chainId: onB[0]!.chainId });
  });
});
