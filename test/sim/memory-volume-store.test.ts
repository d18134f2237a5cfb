import { UnionFs } from '../../src/sim/union-fs.js';
import { MemoryVolumeStore } from '../../src/sim/memory-volume-store.js';
import { SimFsError } from '../../src/sim/sim-fs.js';
import { volumeStoreContract } from '../contract/volume-store.contract.js';

volumeStoreContract('memory', async () => {
  const store = new MemoryVolumeStore();
  const fs = (source: string) => new UnionFs(store.layer(source)!, [], () => 0);
  return {
    store,
    async write(source, name, bytes) {
      fs(source).writeFile(`/${name}`, bytes);
    },
    async read(source, name) {
      try {
        return fs(source).readFile(`/${name}`);
      } catch (e) {
        if (e instanceof SimFsError && e.code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
});
