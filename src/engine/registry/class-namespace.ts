/**
 * The first path component of a workshop's class namespace on `localhost:5000` ("pull what
 * your neighbour built"): `class/<handle>/<name>`. Only the sandbox server has one
 * (sandbox-server/linux/registry-class-namespace.ts); the simulator refuses it, saying so.
 */
export const CLASS_NAMESPACE = 'class';

/** Whether a registry API path (`/v2/<name>/…`) names a repository in the class namespace. */
export function inClassNamespace(apiPath: string): boolean {
  return apiPath === `/v2/${CLASS_NAMESPACE}` || apiPath.startsWith(`/v2/${CLASS_NAMESPACE}/`);
}
