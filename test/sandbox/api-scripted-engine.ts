import type { CommandResult, Engine, ExecOptions } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import type { StateSnapshot } from '../../src/engine/state.js';

export type Script = (commandLine: string, opts: ExecOptions, emit: (event: EngineEvent) => void) => Promise<CommandResult>;

/**
 * An Engine whose commands do what the test says: for the API's own behaviour (limits,
 * timeouts, streaming, interrupts) that no real command should have to be bent into.
 * What commands *mean* is tested on the simulator (api-sim.test.ts).
 */
export class ScriptedEngine implements Engine {
  readonly commands: string[] = [];
  disposed = false;
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  constructor(private readonly script: Script) {}

  exec(commandLine: string, opts: ExecOptions = {}): Promise<CommandResult> {
    this.commands.push(commandLine);
    return this.script(commandLine, opts, (event) => this.listeners.forEach((l) => l(event)));
  }

  async state(): Promise<StateSnapshot> {
    return { schemaVersion: 1, backend: 'sim', images: [], layers: [], containers: [] };
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/** Prints its arguments after `echo`, streaming first as the engine contract says. */
export const echoScript: Script = async (line, opts) => {
  const text = `${line.replace(/^.*?\becho\s*/, '')}\n`;
  opts.stdout?.(text);
  return { stdout: text, stderr: '', exitCode: 0 };
};

/** Resolves only when interrupted, with 130 (128 + SIGINT) as docker's CLI does. */
export function untilInterrupted(opts: ExecOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const done = () => resolve({ stdout: '', stderr: '', exitCode: 130 });
    if (opts.signal?.aborted) done();
    opts.signal?.addEventListener('abort', done, { once: true });
  });
}
