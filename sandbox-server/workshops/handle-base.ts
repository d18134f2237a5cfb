/** The most characters a handle takes from a name: room for the number and a repository's name after it. */
export const MAX_HANDLE_BASE_CHARS = 16;

/**
 * The start of a learner's handle, from the name they typed: its ASCII letters and digits
 * (accents dropped, everything else one `-`), lower-case, at most `MAX_HANDLE_BASE_CHARS`;
 * `learner` when nothing is left (a Korean name, a name of symbols). The store appends the
 * learner's number in the workshop, so a handle is one path component of distribution's grammar
 * (`[a-z0-9]+(-[a-z0-9]+)*`) and no two learners of a workshop share one, whatever they type.
 */
export function handleBase(displayName: string): string {
  const ascii = displayName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_HANDLE_BASE_CHARS)
    .replace(/-+$/, '');
  return ascii === '' ? 'learner' : ascii;
}
