import type { HealingEngine } from '../client/healing-engine.js';

/**
 * An embed's preset commands run without a terminal (`<layerlab-picture>`, or a playground
 * whose view has none): one after another, as typed; a failing one does not stop the next,
 * as in a shell script without `set -e`.
 */
export async function runPresetCommands(engine: HealingEngine, commands: readonly string[]): Promise<void> {
  for (const command of commands) await engine.exec(command).catch(() => undefined);
}
