/** The engine's public surface: what backends, the site and the server import. */
export { createEngine, type BaseImage, type EngineOptions } from './create-engine.js';
export type { Drivers, Engine, ExecOptions, CommandResult, HostInfo } from './engine.js';
export type { EngineEvent, EngineEventType } from './events.js';
export { stateSchema, type StateSnapshot, type ContainerState, type ImageState, type LayerState } from './state.js';
export type { Command, CommandContext } from './cli/command.js';
export { containerMachine } from './containers/container.machine.js';
export { humanSize, tableSize } from './format/size.js';
export { humanDuration } from './format/duration.js';
