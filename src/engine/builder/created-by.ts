import type { Instruction } from './instruction.js';

export type BuilderMode = 'buildkit' | 'classic';

/**
 * A history entry's `created_by`, as each builder writes it.
 *
 * BuildKit (dockerfile2llb `commitToHistory`): the instruction with its expanded
 * values, `RUN …` and `COPY …`/`ADD …` marked `# buildkit`; slices printed with Go's
 * `%q` (`CMD ["cat" "/copy"]`) or `%v` (`VOLUME [/data]`), ports as the map they are
 * (`EXPOSE map[80/tcp:{}]`).
 *
 * Classic (moby builder/dockerfile): the container's command; an instruction that runs
 * nothing is `/bin/sh -c #(nop) ` plus its text — two spaces before most (`#(nop)  CMD`),
 * one before WORKDIR, COPY and ADD, which COPY follows with the source's content hash.
 */
export function createdBy(mode: BuilderMode, ins: Instruction, text: string, runArgs: readonly string[] = []): string {
  if (ins.kind === 'RUN') {
    const prefix = runArgs.length > 0 ? `|${runArgs.length} ${runArgs.join(' ')} ` : '';
    return mode === 'buildkit' ? `RUN ${prefix}${text} # buildkit` : `${prefix}${text}`;
  }
  if (mode === 'buildkit') return ins.kind === 'COPY' || ins.kind === 'ADD' ? `${text} # buildkit` : text;
  const space = ins.kind === 'WORKDIR' || ins.kind === 'COPY' || ins.kind === 'ADD' ? ' ' : '  ';
  return `/bin/sh -c #(nop)${space}${text}`;
}

/** Go's `%q` of a []string: `["cat" "/copy"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** Go's `%v` of a []string: `[/data /logs]`. */
export function goList(list: readonly string[]): string {
  return `[${list.join(' ')}]`;
}
