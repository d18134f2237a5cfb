import { LOCAL_REGISTRY_HOSTS } from '../drivers/registry.js';
import { parseReference } from '../images/reference.js';

/** A reference split as distribution/reference splits it: the registry, the repository's path on it, the tag. */
export interface RegistryReference {
  /** `localhost:5000`, or `docker.io` for a familiar name (`busybox`, `me/app`). */
  host: string;
  /** The path on the registry: `app`, `library/busybox`. */
  path: string;
  tag: string;
  /** Whether the learner wrote a tag (Docker's CLI says `Using default tag: latest` when not). */
  tagged: boolean;
  /** The familiar `name:tag` the image store keys by: `localhost:5000/app:latest`. */
  ref: string;
  /** The familiar name without the tag: `localhost:5000/app`. */
  name: string;
}

/** Throws `InvalidReference` in Docker's words for a name that is not one. */
export function registryReference(input: string): RegistryReference {
  const { name, tag } = parseReference(input);
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  // distribution/reference: the first component names a registry if it has a dot or a port, or is localhost.
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasDomain ? first : 'docker.io';
  const path = hasDomain ? name.slice(slash + 1) : name.includes('/') ? name : `library/${name}`;
  const tagged = input.slice(input.lastIndexOf('/') + 1).includes(':');
  return { host, path, tag, tagged, ref: `${name}:${tag}`, name };
}

export function isLocalRegistry(host: string): boolean {
  return LOCAL_REGISTRY_HOSTS.includes(host);
}
