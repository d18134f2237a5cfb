import { chainIds, sha256, type Digest } from '../../src/engine/digest.js';
import {
  stateSchema,
  type BuildState,
  type ContainerState,
  type ContainerStatus,
  type ImageState,
  type LayerState,
  type StateSnapshot,
} from '../../src/engine/state.js';

/**
 * Builders for realistic engine state snapshots (STYLE.md principle 10): every value
 * they return parses with `stateSchema`, so a view model tested on them is tested on
 * what the engine really sends.
 */

type LayerFile = LayerState['files'][number];
type Kind = LayerFile['kind'];

/** A layer's entries by path: a number is a regular file of that many bytes. */
export type FilesSpec = Record<string, number | { kind: Kind; size?: number }>;

export const dir = { kind: 'dir' } as const;
export const whiteout = { kind: 'whiteout' } as const;
export const opaque = { kind: 'opaque' } as const;
export const symlink = (target: string) => ({ kind: 'symlink' as const, size: target.length });

export interface LayerSpec {
  createdBy: string;
  files: FilesSpec;
}

let clock = Date.UTC(2025, 0, 1);
/** A later creation time on every call, as the engine's clock would give. */
export function nextTime(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

function toFiles(spec: FilesSpec): LayerFile[] {
  return Object.entries(spec)
    .map(([path, v]): LayerFile => (typeof v === 'number' ? { path, kind: 'file', size: v } : { path, kind: v.kind, size: v.size ?? 0 }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A chain of layers, base first, with diffIDs and chainIDs computed as the OCI spec
 * says. The diffID hashes the entries (the engine hashes the tar; what matters here is
 * that different content gives different IDs and the same content the same ID).
 */
export function aChain(specs: readonly LayerSpec[], below: readonly LayerState[] = []): LayerState[] {
  const diffIds = [...below.map((l) => l.diffId as Digest)];
  const out: LayerState[] = [];
  for (const spec of specs) {
    const files = toFiles(spec.files);
    const diffId = sha256(JSON.stringify({ createdBy: spec.createdBy, files }));
    diffIds.push(diffId);
    const chain = chainIds(diffIds);
    const chainId = chain[chain.length - 1]!;
    const parent = chain.length > 1 ? chain[chain.length - 2]! : null;
    out.push({ diffId, chainId, parent, size: files.reduce((n, f) => n + f.size, 0), createdBy: spec.createdBy, files });
  }
  return out;
}

/** busybox:latest as the sandbox builds it: one static binary, applet links, a minimal /etc. */
export const busyboxSpec: LayerSpec = {
  createdBy: '/bin/sh -c #(nop) ADD file:7e9002edaafd4e45 in / ',
  files: {
    '/bin': dir,
    '/bin/busybox': 1_160_912,
    '/bin/sh': symlink('busybox'),
    '/bin/ls': symlink('busybox'),
    '/bin/cat': symlink('busybox'),
    '/etc': dir,
    '/etc/passwd': 340,
    '/etc/group': 281,
    '/etc/hostname': 0,
    '/tmp': dir,
    '/root': dir,
  },
};

export interface ImageSpec {
  tags?: string[];
  /** The image's layers, base first. */
  layers: readonly LayerState[];
  /** Metadata steps (`CMD`, `ENV`, …) as empty-layer history entries, after the layer at `after` (-1: before the first). */
  emptySteps?: { after: number; createdBy: string }[];
  created?: string;
  cmd?: string[];
}

export function anImage(spec: ImageSpec): ImageState {
  const created = spec.created ?? nextTime();
  const history: ImageState['history'] = [];
  const steps = spec.emptySteps ?? [];
  const pushSteps = (after: number) => {
    for (const s of steps) if (s.after === after) history.push({ created, createdBy: s.createdBy, emptyLayer: true });
  };
  pushSteps(-1);
  spec.layers.forEach((layer, i) => {
    history.push({ created, createdBy: layer.createdBy, emptyLayer: false });
    pushSteps(i);
  });
  const config = {
    cmd: spec.cmd ?? ['sh'],
    entrypoint: null,
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    workingDir: '',
    user: '',
    labels: {},
    exposedPorts: [],
  };
  return {
    // Docker: the image ID is the digest of its config, so it changes with layers and history.
    id: sha256(JSON.stringify({ diffIds: spec.layers.map((l) => l.diffId), history, config })),
    repoTags: spec.tags ?? [],
    created,
    size: spec.layers.reduce((n, l) => n + l.size, 0),
    diffIds: spec.layers.map((l) => l.diffId),
    chainIds: spec.layers.map((l) => l.chainId),
    history,
    config,
  };
}

export interface ContainerSpec {
  name: string;
  status?: ContainerStatus;
  /** The container layer's own entries (its upper dir). */
  upper?: FilesSpec;
  changes?: ContainerState['changes'];
  command?: string;
  created?: string;
}

export function aContainer(image: ImageState, spec: ContainerSpec): ContainerState {
  const status = spec.status ?? 'running';
  const created = spec.created ?? nextTime();
  const started = status === 'created' ? null : created;
  const finished = status === 'exited' || status === 'dead' ? created : null;
  const upper = toFiles(spec.upper ?? {});
  const id = sha256(`container ${spec.name} ${image.id}`).slice(7);
  return {
    id,
    name: spec.name,
    image: image.repoTags[0] ?? image.id.slice(7, 19),
    imageId: image.id,
    command: spec.command ?? 'sh',
    status,
    exitCode: status === 'exited' ? 0 : status === 'dead' ? 137 : null,
    created,
    startedAt: started,
    finishedAt: finished,
    changes: spec.changes ?? upper.map((f) => ({ kind: f.kind === 'whiteout' ? 'D' : 'A', path: f.path })),
    upper,
    mount: null,
    pid: status === 'running' || status === 'paused' ? 4242 : null,
  };
}

/**
 * A build of `image` FROM `base`, `stepsDone` instructions after its FROM: its history
 * and layers so far are a prefix of the image's, as the engine's are
 * (test/engine/builder/build-progress.test.ts).
 */
export function aBuild(image: ImageState, base: ImageState, stepsDone: number, spec: { id?: string; started?: string } = {}): BuildState {
  const history = image.history.slice(0, base.history.length + stepsDone);
  const layerCount = history.filter((h) => !h.emptyLayer).length;
  return {
    id: spec.id ?? sha256(`build ${image.id}`).slice(7, 19),
    baseImageId: base.id,
    baseLayers: base.chainIds.length,
    started: spec.started ?? nextTime(),
    step: stepsDone + 1,
    total: image.history.length - base.history.length + 1,
    diffIds: image.diffIds.slice(0, layerCount),
    chainIds: image.chainIds.slice(0, layerCount),
    history,
  };
}

/** Assembles a snapshot and validates it, so a fixture can never drift from the schema. */
export function aState(parts: { images?: ImageState[]; layers?: LayerState[]; containers?: ContainerState[]; builds?: BuildState[] }): StateSnapshot {
  const layers = new Map<string, LayerState>();
  for (const l of parts.layers ?? []) layers.set(l.chainId, l);
  return stateSchema.parse({
    schemaVersion: 1,
    backend: 'sim',
    images: parts.images ?? [],
    layers: [...layers.values()],
    containers: parts.containers ?? [],
    ...(parts.builds ? { builds: parts.builds } : {}),
  });
}

/** The lesson's classic scene: busybox, an app built on it, another app sharing the base. */
export function lessonState() {
  const base = aChain([busyboxSpec]);
  const busybox = anImage({ tags: ['busybox:latest'], layers: base, emptySteps: [{ after: 0, createdBy: '/bin/sh -c #(nop)  CMD ["sh"]' }] });
  const appLayers = aChain(
    [
      { createdBy: 'COPY hello.txt /app/hello.txt # buildkit', files: { '/app': dir, '/app/hello.txt': 12 } },
      { createdBy: 'RUN /bin/sh -c rm /etc/hostname # buildkit', files: { '/etc': dir, '/etc/hostname': whiteout } },
    ],
    base,
  );
  const app = anImage({
    tags: ['app:1', 'app:latest'],
    layers: [...base, ...appLayers],
    emptySteps: [
      { after: 0, createdBy: 'WORKDIR /app' },
      { after: 2, createdBy: 'CMD ["cat", "/app/hello.txt"]' },
    ],
  });
  const webLayers = aChain([{ createdBy: 'RUN /bin/sh -c echo hi > /www # buildkit', files: { '/www': 3 } }], base);
  const web = anImage({ tags: ['web:latest'], layers: [...base, ...webLayers] });
  const c1 = aContainer(app, {
    name: 'happy_turing',
    status: 'running',
    upper: { '/app': dir, '/app/hello.txt': 20, '/tmp': dir, '/tmp/x': 5 },
    changes: [
      { kind: 'C', path: '/app' },
      { kind: 'C', path: '/app/hello.txt' },
      { kind: 'C', path: '/tmp' },
      { kind: 'A', path: '/tmp/x' },
    ],
  });
  const c2 = aContainer(busybox, { name: 'quiet_lamport', status: 'exited' });
  const state = aState({ images: [busybox, app, web], layers: [...base, ...appLayers, ...webLayers], containers: [c1, c2] });
  return { state, base, appLayers, webLayers, busybox, app, web, c1, c2 };
}

/**
 * The benchmark's scene (`npm run bench` renders it): 40 images, 120 layers and 50
 * containers by default — 4 base images, derived images branching from bases and from
 * each other, containers in every state.
 */
export function bigState(opts: { images?: number; layers?: number; containers?: number } = {}): StateSnapshot {
  const imageCount = opts.images ?? 40;
  const layerCount = opts.layers ?? 120;
  const containerCount = opts.containers ?? 50;
  const baseCount = Math.min(4, imageCount);
  const baseLayers = 2;
  const derived = imageCount - baseCount;
  const remaining = layerCount - baseCount * baseLayers;
  if (remaining < derived || (derived === 0 && remaining !== 0)) throw new RangeError('bigState: not enough layers for the images');

  const images: ImageState[] = [];
  const chains: LayerState[][] = [];
  const all: LayerState[] = [];
  for (let i = 0; i < imageCount; i++) {
    const isBase = i < baseCount;
    const parent = isBase ? [] : chains[i % 3 === 0 && i >= 2 * baseCount ? i - baseCount : i % baseCount]!;
    const own = isBase ? baseLayers : Math.floor(remaining / derived) + (i - baseCount < remaining % derived ? 1 : 0);
    const specs: LayerSpec[] = [];
    for (let k = 0; k < own; k++) {
      specs.push(
        isBase && k === 0
          ? { ...busyboxSpec, files: { ...busyboxSpec.files, [`/etc/os-${i}`]: 100 + i } }
          : {
              createdBy: `RUN /bin/sh -c make step-${k} # buildkit`,
              files: { [`/opt/img${i}`]: dir, [`/opt/img${i}/part${k}.bin`]: 1000 * (k + 1) + i, ...(k === 1 ? { '/etc/passwd': 400 + i } : {}) },
            },
      );
    }
    const layers = [...parent, ...aChain(specs, parent)];
    chains.push(layers);
    all.push(...layers.slice(parent.length));
    images.push(anImage({ tags: [`app${i}:latest`], layers, emptySteps: [{ after: layers.length - 1, createdBy: 'CMD ["sh"]' }] }));
  }
  const statuses: ContainerStatus[] = ['running', 'exited', 'created', 'paused', 'running', 'exited', 'dead', 'restarting'];
  const containers: ContainerState[] = [];
  for (let i = 0; i < containerCount; i++) {
    const image = images[(i * 7) % imageCount]!;
    containers.push(
      aContainer(image, { name: `box_${i}`, status: statuses[i % statuses.length]!, upper: { '/tmp': dir, [`/tmp/out${i}`]: 10 * i } }),
    );
  }
  return aState({ images, layers: all, containers });
}
