/**
 * A registry's HTTP API (OCI distribution v2), as one function: the request a client would
 * send to `http://<host>/v2/...`, answered as the registry answers. The engine's client is the
 * only speaker of the protocol; a platform only carries requests (the simulator answers from
 * memory, the sandbox server forwards to its `docker-registry` under the session's prefix).
 */
export interface RegistryTransport {
  /** `host` is the registry the learner named (`localhost:5000`); `path` starts with `/v2/`.
   * A host the platform has no registry for rejects with `RegistryUnreachable`. */
  request(req: RegistryRequest): Promise<RegistryResponse>;
}

export type RegistryMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RegistryRequest {
  method: RegistryMethod;
  host: string;
  /** Path and query, as sent: `/v2/x/blobs/uploads/?mount=sha256:…&from=y`. */
  path: string;
  /** Header names as the client writes them; a transport compares them case-insensitively. */
  headers: Record<string, string>;
  body?: Uint8Array | AsyncIterable<Uint8Array>;
}

export interface RegistryResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The whole body (a manifest, an error document). Read once, either way. */
  body(): Promise<Uint8Array>;
  /** The body a chunk at a time (a layer blob). */
  chunks(): AsyncIterable<Uint8Array>;
}

/** The only registry a learner can reach here (the sandbox's and the simulator's). */
export const LOCAL_REGISTRY_HOSTS: readonly string[] = ['localhost:5000', '127.0.0.1:5000'];
