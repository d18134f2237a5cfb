/**
 * distribution/reference's repository path grammar, the name a registry is asked for
 * (`/v2/<name>/...`): lower-case components joined by `/`, at most 255 characters. The
 * sandbox's transport checks a learner's name with it before putting it under the session's
 * prefix; the simulator's registry answers a name outside it as distribution's router does.
 */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);

/** distribution reference.NameTotalLengthMax. */
export const REPOSITORY_NAME_MAX = 255;

export function isRepositoryName(name: string): boolean {
  return name.length <= REPOSITORY_NAME_MAX && NAME_RE.test(name);
}

/**
 * The order of `GET /v2/_catalog` (distribution registry/storage/catalog.go `lessPath`): `/` sorts
 * before any other byte, so a name's components come before a longer name's (`a`, `a/b`, `a-b`).
 */
export function lessPath(a: string, b: string): boolean {
  return a.replaceAll('/', '\0') < b.replaceAll('/', '\0');
}

/** `lessPath` as a sort's comparator. */
export function byPath(a: string, b: string): number {
  return lessPath(a, b) ? -1 : lessPath(b, a) ? 1 : 0;
}
