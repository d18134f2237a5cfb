/**
 * How the editor and the layer graph point at each other, as document events (islands
 * never import each other, and the two are siblings, so neither is the other's
 * ancestor to bubble to): the editor says which layer a hovered annotation names
 * (`diffId` null when the pointer leaves) and the picture lights it; the picture says
 * which layer was clicked (or Entered), the editor reveals and selects the line that
 * made it and the picture selects that layer.
 */
export const LAYER_HOVER_EVENT = 'll-layer-hover';
export type LayerHoverDetail = { diffId: string | null };

export const LAYER_SELECT_EVENT = 'll-layer-select';
export type LayerSelectDetail = { diffId: string };
