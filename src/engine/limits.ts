/** What one engine holds at most, whatever a learner does; each has a default. */
export interface EngineLimits {
  /** Output kept per container for `docker logs`, as json-file's `max-size` (default 1 MiB). */
  logBytes?: number;
  /** Bytes one decompression may produce (a layer of `docker load`, an archive `ADD`
   * unpacks): past it the stream is refused as it passes, never held whole. The server
   * sets it to the session's disk, which the unpacked bytes could not fit in anyway. */
  unpackBytes?: number;
  /** Containers that may exist (running or not); `run`/`create` past it are refused (default: no limit). */
  maxContainers?: number;
  /** `docker build`s that may run at the same time (default: no limit). */
  maxConcurrentBuilds?: number;
}

export const DEFAULT_LIMITS: Required<EngineLimits> = {
  logBytes: 1024 * 1024,
  unpackBytes: 512 * 1024 * 1024,
  maxContainers: Infinity,
  maxConcurrentBuilds: Infinity,
};

export function resolveLimits(limits: EngineLimits = {}): Required<EngineLimits> {
  return {
    logBytes: limits.logBytes ?? DEFAULT_LIMITS.logBytes,
    unpackBytes: limits.unpackBytes ?? DEFAULT_LIMITS.unpackBytes,
    maxContainers: limits.maxContainers ?? DEFAULT_LIMITS.maxContainers,
    maxConcurrentBuilds: limits.maxConcurrentBuilds ?? DEFAULT_LIMITS.maxConcurrentBuilds,
  };
}
