import type { Engine } from '../../engine/engine.js';
import type { RemoteEngine } from '../../client/remote-engine.js';

/** What a learner's command printed, as the instructor may watch it: capped, as the live socket takes at most 16 KiB. */
export const OUTPUT_CAP_BYTES = 16 * 1024 - 512;

export interface RanCommand {
  command: string;
  exitCode: number;
  /** stdout and stderr as they came, cut at `OUTPUT_CAP_BYTES` (UTF-8). */
  output: string;
}

/** `text` cut to at most `max` UTF-8 bytes, never inside a character. */
export function capUtf8(text: string, max: number): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= max) return text;
  let end = max;
  // A continuation byte (10xxxxxx) is inside a character: back up to its first byte.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * `engine` as the page uses it, telling `onCommand` of each command that ran (not one aborted
 * before it could, nor one whose session was gone): the workshop reports it and the instructor
 * may watch it. The terminal stays as it is — it runs commands on the page's engine, whichever.
 * A remote engine's keep-alive (`ping`, `idleTimeoutMs`) is passed through, as the healing engine looks for it.
 */
export function reportingEngine(engine: Engine, onCommand: (ran: RanCommand) => void): Engine {
  const remote = engine as Partial<RemoteEngine>;
  const wrapped: Engine & Partial<Pick<RemoteEngine, 'ping' | 'idleTimeoutMs'>> = {
    async exec(commandLine, opts = {}) {
      let output = '';
      const keep = (text: string) => {
        if (output.length < OUTPUT_CAP_BYTES) output += text;
      };
      const result = await engine.exec(commandLine, {
        ...opts,
        stdout: (text) => {
          keep(text);
          opts.stdout?.(text);
        },
        stderr: (text) => {
          keep(text);
          opts.stderr?.(text);
        },
      });
      // An engine that returns its output instead of streaming it (HTTP) streamed nothing.
      if (output === '') output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
      onCommand({ command: commandLine, exitCode: result.exitCode, output: capUtf8(output, OUTPUT_CAP_BYTES) });
      return result;
    },
    state: () => engine.state(),
    subscribe: (listener) => engine.subscribe(listener),
    dispose: () => engine.dispose(),
    get workspace() {
      return engine.workspace;
    },
  };
  if (typeof remote.ping === 'function') {
    wrapped.ping = () => remote.ping!();
    Object.defineProperty(wrapped, 'idleTimeoutMs', { get: () => remote.idleTimeoutMs, enumerable: true });
  }
  return wrapped;
}
