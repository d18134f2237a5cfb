import type { Signal } from '../drivers/runtime.js';

const BY_NUMBER: Record<string, Signal> = {
  '1': 'SIGHUP',
  '2': 'SIGINT',
  '3': 'SIGQUIT',
  '9': 'SIGKILL',
  '10': 'SIGUSR1',
  '12': 'SIGUSR2',
  '15': 'SIGTERM',
  '18': 'SIGCONT',
  '19': 'SIGSTOP',
};
const NAMES = new Set<string>(Object.values(BY_NUMBER));

/** moby `signal.ParseSignal`: `KILL`, `SIGKILL`, `9`. */
export function parseSignal(raw: string): Signal | undefined {
  if (/^\d+$/.test(raw)) return BY_NUMBER[raw];
  const name = raw.toUpperCase().startsWith('SIG') ? raw.toUpperCase() : `SIG${raw.toUpperCase()}`;
  return NAMES.has(name) ? (name as Signal) : undefined;
}
