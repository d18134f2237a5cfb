import type { Selection } from '../model/sandbox.machine.js';
import type { LayerGraph } from '../views/layer-graph.view-model.js';

/**
 * Between the graph's layers (keyed by chainID) and the editor's annotations (which
 * know a layer by diffID, the build's word for it). One diffID can sit on several
 * chains — the same COPY on two different bases — so a diffID names one or more nodes.
 */

/** The diffID the editor knows a selected layer by; undefined for anything else. */
export function diffIdOfSelection(graph: LayerGraph, selection: Selection): string | undefined {
  if (selection.kind !== 'layer') return undefined;
  return graph.layers.find((l) => l.chainId === selection.chainId)?.diffId;
}

/**
 * The layer to select for a diffID the editor named: the selected one when it already
 * matches, else the newest build's (drawn last), else none.
 */
export function selectionForDiffId(graph: LayerGraph, diffId: string, current: Selection | null): Selection | null {
  const matches = graph.layers.filter((l) => l.diffId === diffId);
  if (current?.kind === 'layer' && matches.some((l) => l.chainId === current.chainId)) return current;
  const pick = matches.find((l) => l.isNew) ?? matches[matches.length - 1];
  return pick ? { kind: 'layer', chainId: pick.chainId } : null;
}
