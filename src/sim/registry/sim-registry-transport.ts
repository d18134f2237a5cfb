import { LOCAL_REGISTRY_HOSTS, type RegistryRequest, type RegistryResponse, type RegistryTransport } from '../../engine/drivers/registry.js';
import { RegistryUnreachable } from '../../engine/errors.js';
import { MemoryRegistry } from './memory-registry.js';

/**
 * The simulator's registry at `localhost:5000` (and `127.0.0.1:5000`, the same server): one
 * memory registry per engine, so nothing needs a session prefix. Any other host is a
 * registry this machine cannot reach, as the sandbox's transport says too.
 */
export class SimRegistryTransport implements RegistryTransport {
  constructor(readonly registry = new MemoryRegistry()) {}

  request(req: RegistryRequest): Promise<RegistryResponse> {
    if (!LOCAL_REGISTRY_HOSTS.includes(req.host))
      return Promise.reject(new RegistryUnreachable(`no registry at ${req.host} here`, { host: req.host }));
    return this.registry.handle(req);
  }
}
