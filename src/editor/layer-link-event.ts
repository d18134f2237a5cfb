/**
 * How the editor and the layer graph point at each other, as document events (islands
 * never import each other): the editor says which layer a hovered annotation names
 * (`diffId` null when the pointer leaves), the graph says which layer was clicked, and
 * the editor reveals the line that made it.
 */
export const LAYER_HOVER_EVENT = 'll-layer-hover';
export type LayerHoverDetail = { diffId: string | null };

export const LAYER_SELECT_EVENT = 'll-layer-select';
export type LayerSelectDetail = { diffId: string };
