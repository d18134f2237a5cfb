/**
 * One thing the server lacks for real containers (`/api/health`'s `sandbox.missing[]`,
 * sandbox-server/prereqs.ts `SANDBOX_MISSING_CODES`; kept apart so the page does not import
 * the server): the page words `code` in its language, `reason` is the server's English.
 */
export interface MissingPrereq {
  code: string;
  reason: string;
}

/** Which backend this page runs, and why: the answer of the server's `/api/health`. */
export type BackendChoice =
  | { backend: 'linux'; reason: 'sandbox' }
  | { backend: 'sim'; reason: 'no-sandbox'; missing: MissingPrereq[] }
  | { backend: 'sim'; reason: 'no-server' }
  /** The sandbox runs, but refused this page a session: every sandbox is in use… */
  | { backend: 'sim'; reason: 'server-full' }
  /** …or this address holds as many as it may. */
  | { backend: 'sim'; reason: 'address-full' };

/** The UI string key (src/i18n) that says why the page runs where it does, for each reason. */
export const BADGE_KEYS: Record<BackendChoice['reason'], string> = {
  sandbox: 'backend.sandbox',
  'no-server': 'backend.simNoServer',
  'no-sandbox': 'backend.simMissing',
  'server-full': 'backend.simFull',
  'address-full': 'backend.simAddressFull',
};

interface HealthBody {
  backend?: unknown;
  sandbox?: { available?: unknown; missing?: unknown };
}

/** The UI string key (src/i18n) for what the server lacks; a code this page does not know shows the server's `reason`. */
export const missingKey = (code: string): string => `backend.missing.${code}`;

function isMissingPrereq(value: unknown): value is MissingPrereq {
  const m = value as Partial<MissingPrereq> | null;
  return typeof m?.code === 'string' && typeof m.reason === 'string';
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
  const missing = Array.isArray(body.sandbox?.missing)
    ? body.sandbox.missing.filter(isMissingPrereq).map(({ code, reason }) => ({ code, reason }))
    : [];
  return { backend: 'sim', reason: 'no-sandbox', missing };
}

/**
 * The simulator this page falls back to when the sandbox refuses it a session (the
 * answer's code, sandbox-server/api/api-error.ts); undefined for any other failure.
 */
export function fallbackFor(error: unknown): BackendChoice | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SERVER_FULL') return { backend: 'sim', reason: 'server-full' };
  if (code === 'TOO_MANY_SESSIONS' || code === 'RATE_LIMITED') return { backend: 'sim', reason: 'address-full' };
  if (code === 'SANDBOX_UNAVAILABLE') return { backend: 'sim', reason: 'no-sandbox', missing: [] };
  return undefined;
}

let cached: Promise<BackendChoice> | undefined;
const listeners = new Set<(choice: BackendChoice) => void>();

/** One probe per page, shared by the badge and the engine selection. */
export function pageBackend(): Promise<BackendChoice> {
  cached ??= probeBackend(fetch.bind(globalThis));
  return cached;
}

/** The page runs another backend than the probe chose (the sandbox refused a session): who shows it is told. */
export function settleBackend(choice: BackendChoice): void {
  cached = Promise.resolve(choice);
  for (const listener of listeners) listener(choice);
}

export function onBackendChange(listener: (choice: BackendChoice) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
