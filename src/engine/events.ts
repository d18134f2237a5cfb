import type { ContainerStatus } from './state.js';

/**
 * Every change the engine makes, as data, named `noun.verb`. The UI model consumes
 * these (and state snapshots) and is the only thing views subscribe to.
 */
export type EngineEvent =
  | { type: 'image.created'; id: string; tags: string[] }
  | { type: 'image.tagged'; id: string; tag: string }
  | { type: 'image.untagged'; id: string; tag: string }
  | { type: 'image.removed'; id: string }
  | { type: 'layer.created'; diffId: string; chainId: string }
  | { type: 'layer.removed'; chainId: string }
  | { type: 'container.created'; id: string; name: string; imageId: string }
  | { type: 'container.status'; id: string; status: ContainerStatus; exitCode: number | null }
  | { type: 'container.changed'; id: string }
  | { type: 'container.renamed'; id: string; name: string }
  | { type: 'container.removed'; id: string }
  | { type: 'volume.created'; name: string }
  | { type: 'volume.removed'; name: string }
  | { type: 'build.step.started'; buildId: string; step: number; total: number; instruction: string; line: number }
  /** `diffId`: the layer the cache hit reuses (null: a config-only step). */
  | { type: 'build.step.cached'; buildId: string; step: number; diffId?: string | null }
  | { type: 'build.step.done'; buildId: string; step: number; diffId: string | null; emptyLayer: boolean }
  | { type: 'build.step.failed'; buildId: string; step: number; exitCode: number; message: string }
  | { type: 'build.done'; buildId: string; imageId: string | null }
  | { type: 'command.started'; command: string }
  | { type: 'command.finished'; command: string; exitCode: number }
  /**
   * The page's engine was replaced by another (a new sandbox session, the simulator, a reset
   * the learner asked for; src/client/healing-engine.ts): what was known of its state is stale,
   * and a command the old one ran will not report its end.
   */
  | { type: 'engine.replaced' };

export type EngineEventType = EngineEvent['type'];
