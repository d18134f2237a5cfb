import { createHash } from 'node:crypto';
import { stateSchema, type ContainerState, type ImageState, type StateSnapshot } from '../../src/engine/state.js';

const digestOf = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;

/** An image as the state snapshot shows it; `layers` is how many filesystem layers it has. */
export function anImage(opts: { tags?: string[]; seed?: string; layers?: number } = {}): ImageState {
  const seed = opts.seed ?? opts.tags?.join(',') ?? 'image';
  const diffIds = Array.from({ length: opts.layers ?? 1 }, (_, i) => digestOf(`${seed}/layer/${i}`));
  return {
    id: digestOf(`${seed}/config`),
    repoTags: opts.tags ?? [],
    created: '2024-01-01T00:00:00Z',
    size: 4_000_000,
    diffIds,
    chainIds: diffIds,
    history: diffIds.map(() => ({ created: '2024-01-01T00:00:00Z', createdBy: 'ADD file:… in /', emptyLayer: false })),
    config: { cmd: ['sh'], entrypoint: null, env: ['PATH=/bin'], workingDir: '', user: '', labels: {}, exposedPorts: [] },
  };
}

type ContainerOpts = Partial<Pick<ContainerState, 'name' | 'status' | 'exitCode' | 'command' | 'changes' | 'upper'>> & {
  image?: ImageState;
  /** The image as typed (`busybox`); defaults to the image's first tag without `:latest`. */
  imageName?: string;
};

let serial = 0;
export function aContainer(opts: ContainerOpts = {}): ContainerState {
  serial += 1;
  const image = opts.image ?? anImage({ tags: ['busybox:latest'] });
  const status = opts.status ?? 'running';
  return {
    id: createHash('sha256').update(`container/${serial}`).digest('hex'),
    name: opts.name ?? `container_${serial}`,
    image: opts.imageName ?? (image.repoTags[0] ?? image.id).replace(/:latest$/, ''),
    imageId: image.id,
    command: opts.command ?? 'sh',
    status,
    exitCode: opts.exitCode ?? (status === 'exited' ? 0 : null),
    created: '2024-01-01T00:00:00Z',
    startedAt: status === 'created' ? null : '2024-01-01T00:00:01Z',
    finishedAt: status === 'exited' ? '2024-01-01T00:00:02Z' : null,
    changes: opts.changes ?? [],
    upper: opts.upper ?? [],
    mount: null,
    pid: status === 'running' ? 100 + serial : null,
  };
}

/** A snapshot checked against the engine's own schema, so fixtures cannot drift from it. */
export function aState(parts: { images?: ImageState[]; containers?: ContainerState[]; volumes?: StateSnapshot['volumes'] } = {}): StateSnapshot {
  return stateSchema.parse({
    schemaVersion: 1,
    backend: 'sim',
    images: parts.images ?? [],
    layers: [],
    containers: parts.containers ?? [],
    ...(parts.volumes ? { volumes: parts.volumes } : {}),
  });
}
