import { flagsOf, operandKind, subcommandsOf, takesCommandLine } from './command-spec.js';

export interface CompletionNames {
  images: string[];
  containers: string[];
}

export interface Completion {
  /** Where the word being completed starts in the line. */
  start: number;
  /** Candidates for that word, sorted; empty when nothing fits. */
  candidates: string[];
}

/**
 * Tab completion for a `docker …` line, as the cursor stands at its end: command
 * words, then flags of that command, then image or container names by position.
 */
export function complete(line: string, names: CompletionNames): Completion {
  const start = line.search(/\S*$/);
  const word = line.slice(start);
  const before = line.slice(0, start).trim().split(/\s+/).filter(Boolean);
  const fit = (all: Iterable<string>) => [...new Set(all)].filter((c) => c.startsWith(word)).sort();

  if (before.length === 0) return { start, candidates: fit(['docker']) };
  if (before[0] !== 'docker') return { start, candidates: [] };

  const path: string[] = [];
  let i = 1;
  while (i < before.length && subcommandsOf(path).includes(before[i]!) && !before[i]!.startsWith('-')) path.push(before[i++]!);
  const subs = subcommandsOf(path);
  if (i === before.length && subs.length > 0 && !word.startsWith('-')) return { start, candidates: fit(subs) };

  const commandPath = path.join(' ');
  const flags = flagsOf(commandPath);
  // Count operands before the cursor, skipping flags and the values they take.
  let operands = 0;
  for (let j = i; j < before.length; j++) {
    const token = before[j]!;
    if (!token.startsWith('-')) operands++;
    // Docker: flags stop at the first operand of run/create/exec (IMAGE, CONTAINER); the
    // words after it are the container's own command line, which we do not complete.
    if (operands > 0 && takesCommandLine(commandPath)) return { start, candidates: [] };
    if (token.startsWith('-') && !token.includes('=')) {
      const flag = token.startsWith('--') ? flags.find((f) => f.long === token.slice(2)) : flags.find((f) => f.short === token.slice(-1));
      if (flag?.takesValue) j++;
    }
  }
  if (word.startsWith('-'))
    return { start, candidates: fit(flags.map((f) => `--${f.long}`).concat(flags.flatMap((f) => (f.short ? [`-${f.short}`] : [])))) };
  const kind = operandKind(commandPath, operands);
  if (kind === 'image') return { start, candidates: fit(names.images) };
  if (kind === 'container') return { start, candidates: fit(names.containers) };
  return { start, candidates: [] };
}

/** The longest prefix every candidate shares: what Tab can insert without choosing. */
export function commonPrefix(candidates: string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const c of candidates) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
