import { LOCAL_REGISTRY_HOSTS, type RegistryRequest, type RegistryResponse, type RegistryTransport } from '../../engine/drivers/registry.js';
import { RegistryUnreachable } from '../../engine/errors.js';
import { readsSeed } from '../../engine/registry/seeded-images.js';
import { MemoryRegistry } from './memory-registry.js';
import { CLASS_NAMESPACE, inClassNamespace } from '../../engine/registry/class-namespace.js';

/**
 * The simulator's registry at `localhost:5000` (and `127.0.0.1:5000`, the same server): one
 * memory registry per engine, so nothing needs a session prefix. Any other host is a
 * registry this machine cannot reach, as the sandbox's transport says too. With `seeds`
 * (seeded-registry.ts), a pull of a seeded image the engine's registry does not hold is
 * served from them, as the server's transport falls back to its seed namespace.
 */
export class SimRegistryTransport implements RegistryTransport {
  constructor(
    readonly registry = new MemoryRegistry(),
    private readonly seeds?: () => Promise<MemoryRegistry | undefined>,
  ) {}

  async request(req: RegistryRequest): Promise<RegistryResponse> {
    if (!LOCAL_REGISTRY_HOSTS.includes(req.host)) throw new RegistryUnreachable(`no registry at ${req.host} here`, { host: req.host });
    // A workshop's class namespace lives on the sandbox server's registry; a page on the simulator has none to share.
    if (inClassNamespace(req.path.split('?')[0]!)) return classNamespaceRefusal(req.host);
    const res = await this.registry.handle(req);
    if (res.status !== 404 || !this.seeds || !readsSeed(req.method, req.path)) return res;
    const seeds = await this.seeds();
    if (!seeds) return res;
    await res.body();
    return seeds.handle(req);
  }
}

/**
 * The sandbox server's refusal of the class namespace (a registry's 403 `denied`), in the
 * simulator's words. Its document is there for every read, a HEAD's too, as the server's
 * transport answers, so push and pull both say why.
 */
function classNamespaceRefusal(host: string): RegistryResponse {
  const message = `${host}/${CLASS_NAMESPACE}/ is a workshop's class namespace, on the sandbox server only: this page runs the in-browser simulator`;
  const bytes = new TextEncoder().encode(`${JSON.stringify({ errors: [{ code: 'DENIED', message, detail: null }] })}\n`);
  return {
    status: 403,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.byteLength) },
    body: async () => bytes,
    async *chunks() {
      yield bytes;
    },
  };
}
