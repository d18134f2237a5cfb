import { MemoryContentStore } from '../../src/sim/memory-content-store.js';
import { contentStoreContract } from '../contract/content-store.contract.js';

contentStoreContract('memory', async () => new MemoryContentStore());
