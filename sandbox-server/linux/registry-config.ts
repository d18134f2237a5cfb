import { join } from 'node:path';

/** Where the registry keeps its files under the server's state dir. */
export function registryPaths(stateDir: string) {
  const root = join(stateDir, 'registry');
  return {
    root,
    /** distribution's `filesystem.rootdirectory`: `docker/registry/v2/{blobs,repositories}` below it. */
    storage: join(root, 'storage'),
    config: join(root, 'config.yml'),
  };
}

export interface RegistryConfigOptions {
  storage: string;
  /** HMAC key of the upload state in `Location` (`_state`); distribution makes a random one per start when absent, and warns. */
  secret: string;
}

/**
 * The config of Debian's `docker-registry` (distribution 2.8) as the server runs it. Not
 * Debian's /etc/docker/registry/config.yml, which listens on `:5000` — every interface:
 * - `http.addr` 127.0.0.1:0: loopback only, a port the kernel picks at start (the
 *   registry logs `listening on 127.0.0.1:<port>`, which registry-process.ts reads);
 * - `delete.enabled`: a session's manifests can be deleted when it ends;
 * - no `auth`: the only client is the server's transport, which maps every name under the
 *   session's prefix (registry-transport.ts);
 * - no `cache.blobdescriptor`: a blob removed from disk by registry-cleanup.ts must not be
 *   remembered as present by the registry's in-memory cache;
 * - JSON logs without access lines, read into the server's log (registry-process.ts);
 * - upload purging every hour for uploads older than an hour (a learner's abandoned push).
 * Written as JSON, which YAML reads as it is, so no value needs YAML quoting.
 */
export function registryConfig({ storage, secret }: RegistryConfigOptions): string {
  const config = {
    version: 0.1,
    log: { level: 'info', formatter: 'json', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: storage },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: true, age: '1h', interval: '1h', dryrun: false } },
    },
    http: { addr: '127.0.0.1:0', secret },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
