import { afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { registryTransportContract } from '../contract/registry-transport.contract.js';
import { RegistryHost } from '../../sandbox-server/linux/registry-host.js';

// The contract the simulator's registry runs, on Debian's docker-registry through a session's transport.
if (requirePrereqs('registry', missingRegistryPrereqs())) {
  let opened: Promise<{ host: RegistryHost; stateDir: string }> | undefined;
  let n = 0;
  afterAll(async () => {
    const o = await opened;
    await o?.host.stop();
    if (o) await rm(o.stateDir, { recursive: true, force: true });
  });
  registryTransportContract('sandbox (docker-registry, a session transport)', async () => {
    opened ??= mkdtemp(join(tmpdir(), 'layerlab-registry-')).then(async (stateDir) => ({ stateDir, host: await RegistryHost.open({ stateDir }) }));
    const { host } = await opened;
    // A session per test, as each test of the simulator gets a fresh registry.
    return { transport: host.transport(`contract-${++n}`, { bytes: 1024 * 1024, repositories: 10 }), repo: (base) => base };
  });
}
