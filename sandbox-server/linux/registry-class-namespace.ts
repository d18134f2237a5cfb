import { CLASS_NAMESPACE } from '../../src/engine/registry/class-namespace.js';
import type { RegistryUsage } from './registry-usage.js';

export { CLASS_NAMESPACE };

/**
 * A workshop learner's way into their workshop's class namespace ("pull what your neighbour
 * built"): read everything under `class/`, write only under `class/<handle>/`. The registry has
 * no access control of its own, so this is the one place that decides.
 */
export interface ClassAccess {
  /** The workshop's namespace on the registry (registry-names.ts `workshopPrefix`). */
  prefix: string;
  /** The learner's part (`Learner.handle`: unique in the workshop, one path component). */
  handle: string;
  /** Whether the instructor has it open now; asked on every request, so closing it refuses the next one. */
  open(): Promise<boolean>;
  /** The workshop's usage, shared by its learners' transports: the bound for the workshop as a whole. */
  usage(): Promise<RegistryUsage>;
}

/** Where a learner's repository name lives: the session's own namespace, or the class namespace (`rest` is the name after `class/`). */
export type Placement = { namespace: 'session' } | { namespace: 'class'; rest: string };

export function placement(name: string): Placement {
  if (name !== CLASS_NAMESPACE && !name.startsWith(`${CLASS_NAMESPACE}/`)) return { namespace: 'session' };
  return { namespace: 'class', rest: name.slice(CLASS_NAMESPACE.length + 1) };
}

/**
 * Why a request for `rest` in the class namespace is refused, in the words a registry's
 * `denied` carries to Docker's output; undefined when it may go on. No workshop, a closed
 * namespace, and a write outside one's own part are each refused before anything is forwarded.
 */
export async function classRefusal(access: ClassAccess | undefined, rest: string, write: boolean, host: string): Promise<string | undefined> {
  if (access === undefined) return `${host}/${CLASS_NAMESPACE}/ is a workshop's class namespace, and this sandbox is not in a workshop`;
  if (!(await access.open())) return `the instructor has not opened this workshop's class namespace (${host}/${CLASS_NAMESPACE}/)`;
  if (write && !rest.startsWith(`${access.handle}/`))
    return `in the class namespace this sandbox writes only its own part, ${host}/${CLASS_NAMESPACE}/${access.handle}/<name>`;
  return undefined;
}
