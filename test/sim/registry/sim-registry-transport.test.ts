import { SimRegistryTransport } from '../../../src/sim/registry/sim-registry-transport.js';
import { registryTransportContract } from '../../contract/registry-transport.contract.js';

registryTransportContract('simulator (memory registry)', async () => ({ transport: new SimRegistryTransport(), repo: (base) => base }));
