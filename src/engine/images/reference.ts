import { InvalidReference } from './image-errors.js';

/**
 * Image references as Docker's distribution/reference parses them, in familiar form:
 * `busybox` ≡ `busybox:latest` ≡ `library/busybox:latest` ≡ `docker.io/library/busybox:latest`.
 * Layerlab has no registry, so a reference is only ever a local name.
 */
export interface NamedTagged {
  /** Familiar repository name (`busybox`, `myorg/app`). */
  name: string;
  tag: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME_RE = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;

export function parseReference(ref: string): NamedTagged {
  if (ref === '' || /^[a-f0-9]{64}$/.test(ref)) throw new InvalidReference('invalid reference format');
  let name = ref;
  let tag = 'latest';
  const at = ref.indexOf('@');
  if (at >= 0) throw new InvalidReference('invalid reference format');
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) {
    name = ref.slice(0, colon);
    tag = ref.slice(colon + 1);
    if (!TAG_RE.test(tag)) throw new InvalidReference('invalid reference format');
  }
  if (!NAME_RE.test(name)) {
    if (NAME_RE.test(name.toLowerCase())) {
      throw new InvalidReference(`invalid reference format: repository name (${familiarFull(name)}) must be lowercase`);
    }
    throw new InvalidReference('invalid reference format');
  }
  return { name: familiarName(name), tag };
}

export function formatReference(ref: NamedTagged): string {
  return `${ref.name}:${ref.tag}`;
}

/** `docker.io/library/busybox` → `busybox`. */
function familiarName(name: string): string {
  let n = name;
  if (n.startsWith('docker.io/')) n = n.slice('docker.io/'.length);
  else if (n.startsWith('index.docker.io/')) n = n.slice('index.docker.io/'.length);
  if (n.startsWith('library/') && n.split('/').length === 2) n = n.slice('library/'.length);
  return n;
}

/** Docker's lowercase error names the repository fully qualified, minus the domain. */
function familiarFull(name: string): string {
  const n = familiarName(name);
  return n.includes('/') ? n : `library/${n}`;
}

/** BuildKit names a Docker Hub image fully: `busybox` → `docker.io/library/busybox:latest`. */
export function fullRef(ref: string): string {
  try {
    const { name, tag } = parseReference(ref);
    const path = name.includes('/') ? name : `library/${name}`;
    const domain = /^[^/]+[.:]|^localhost\//.test(name) ? '' : 'docker.io/';
    return `${domain}${path}:${tag}`;
  } catch {
    return ref;
  }
}
