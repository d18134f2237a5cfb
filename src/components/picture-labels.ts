import type { Labels } from '../client/labels.js';
import type { ContainerStatus } from '../engine/state.js';
import type { FileTreeLabels } from '../views/file-tree.view.js';
import type { LayerGraphLabels } from '../views/layer-graph.view.js';
import type { StateTableLabels } from '../views/state-table.view.js';
import type { VmVsContainerLabels } from '../views/vm-vs-container.view.js';
import type { NamespaceSharing } from './namespace-rows.js';

/**
 * The renderers take their words as structured labels; the page hands an island the
 * flat catalog keys it needs (`data-labels`, src/components/island-labels.ts). These
 * functions turn one into the other, so the catalog stays the only source of words.
 */

/** The catalog keys `<ll-picture>` reads, for `labelsFor(locale, [], PICTURE_PREFIXES)`. */
export const PICTURE_PREFIXES = ['picture.'] as const;
/** The catalog keys `<ll-vm-diagram>` reads. */
export const VM_PREFIXES = ['vm.'] as const;

const STATUSES: readonly ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

// A missing key shows as the key itself, as `format` in src/client/labels.ts does: visible, never blank.
const word = (labels: Labels, key: string) => labels[key] ?? key;

export function statusLabels(labels: Labels): Record<ContainerStatus, string> {
  return Object.fromEntries(STATUSES.map((s) => [s, word(labels, `picture.state.${s}`)])) as Record<ContainerStatus, string>;
}

export function layerGraphLabels(labels: Labels): LayerGraphLabels {
  return {
    layer: word(labels, 'picture.layer'),
    container: word(labels, 'picture.container'),
    image: word(labels, 'picture.image'),
    marker: word(labels, 'picture.marker'),
    volume: word(labels, 'picture.volume'),
    volumeUnused: word(labels, 'picture.volumeUnused'),
    untagged: word(labels, 'picture.untagged'),
    building: word(labels, 'picture.building'),
    status: statusLabels(labels),
  };
}

export function fileTreeLabels(labels: Labels, tree: string): FileTreeLabels {
  return {
    summary: word(labels, 'picture.files.summary'),
    change: {
      added: word(labels, 'picture.files.added'),
      changed: word(labels, 'picture.files.changed'),
      deleted: word(labels, 'picture.files.deleted'),
    },
    fromLayer: word(labels, 'picture.files.fromLayer'),
    tree,
  };
}

export function stateTableLabels(labels: Labels): StateTableLabels {
  const w = (key: string) => word(labels, `picture.tables.${key}`);
  return {
    images: {
      caption: w('images'),
      repository: w('repository'),
      tag: w('tag'),
      id: w('imageId'),
      created: w('created'),
      size: w('size'),
      layers: w('layerCount'),
    },
    layers: { caption: w('layers'), diffId: w('diffId'), parent: w('parent'), createdBy: w('createdBy'), size: w('size'), usedBy: w('usedBy') },
    containers: {
      caption: w('containers'),
      id: w('containerId'),
      name: w('name'),
      image: w('image'),
      command: w('command'),
      status: w('status'),
      changes: w('changes'),
    },
    status: statusLabels(labels),
    select: w('select'),
  };
}

/** The "under the hood" namespace table's words; `summary` has `{own}` and `{shared}`. */
export interface NamespaceLabels {
  caption: string;
  type: string;
  link: string;
  whose: string;
  sharing: Record<NamespaceSharing, string>;
  none: string;
  summary: string;
}

export function namespaceLabels(labels: Labels): NamespaceLabels {
  const w = (key: string) => word(labels, `picture.hood.ns.${key}`);
  return {
    caption: word(labels, 'picture.hood.namespaces'),
    type: w('type'),
    link: w('link'),
    whose: w('whose'),
    sharing: { own: w('own'), host: w('host'), unknown: w('unknown') },
    none: w('none'),
    summary: w('summary'),
  };
}

export function vmLabels(labels: Labels): VmVsContainerLabels {
  const w = (key: string) => word(labels, `vm.${key}`);
  return {
    roles: {
      hardware: w('role.hardware'),
      'host-os': w('role.hostOs'),
      hypervisor: w('role.hypervisor'),
      engine: w('role.engine'),
      'guest-os': w('role.guestOs'),
      bins: w('role.bins'),
      app: w('role.app'),
    },
    vmTitle: w('vmTitle'),
    containerTitle: w('containerTitle'),
    kernels: w('kernels'),
  };
}
