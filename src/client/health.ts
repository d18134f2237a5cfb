/** Which backend this page runs, and why: the answer of the server's `/api/health`. */
export type BackendChoice =
  | { backend: 'linux'; reason: 'sandbox' }
  | { backend: 'sim'; reason: 'no-sandbox'; missing: string[] }
  | { backend: 'sim'; reason: 'no-server' };

interface HealthBody {
  backend?: unknown;
  sandbox?: { available?: unknown; missing?: unknown };
}

/** Static hosting (no server, or a server that is not ours) means the simulator. */
export async function probeBackend(fetchFn: typeof fetch, baseUrl = ''): Promise<BackendChoice> {
  let body: HealthBody;
  try {
    const res = await fetchFn(`${baseUrl}/api/health`, { headers: { accept: 'application/json' } });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return { backend: 'sim', reason: 'no-server' };
    body = (await res.json()) as HealthBody;
  } catch {
    return { backend: 'sim', reason: 'no-server' };
  }
  if (body.backend === 'linux') return { backend: 'linux', reason: 'sandbox' };
  const missing = Array.isArray(body.sandbox?.missing) ? body.sandbox.missing.filter((m): m is string => typeof m === 'string') : [];
  return { backend: 'sim', reason: 'no-sandbox', missing };
}

let cached: Promise<BackendChoice> | undefined;
/** One probe per page, shared by the badge and the engine selection. */
export function pageBackend(): Promise<BackendChoice> {
  cached ??= probeBackend(fetch.bind(globalThis));
  return cached;
}
