import type { CommandSpec } from '../parse-command.js';

/** Every path a command answers to, aliases included. */
export function commandTable<C extends CommandSpec>(commands: readonly C[]): Map<string, C> {
  const table = new Map<string, C>();
  for (const c of commands) {
    table.set(c.path, c);
    for (const a of c.aliases ?? []) table.set(a, c);
  }
  return table;
}
