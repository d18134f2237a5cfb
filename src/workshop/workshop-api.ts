/**
 * The learner's and the create page's side of the workshop API (issue 14, workshop-api.md;
 * sandbox-server/api/workshops.routes.ts): typed calls that reject with `WorkshopApiError`
 * carrying the API's stable code, so the pages word a refusal in the learner's language.
 */

/** A sandbox session as join and resume hand it out (`POST /api/sessions`'s shape). */
export interface GivenSession {
  id: string;
  token: string;
  idleTimeoutMs: number;
}

/** The learner's sandbox: a session, or the code of why the simulator runs instead. */
export type LearnerSandbox = { session: GivenSession; simulator: null } | { session: null; simulator: string };

/** What a learner sees of their workshop. */
export interface LearnerWorkshop {
  id: string;
  title: string;
  lessons: string[];
  closedAt: number | null;
  /** Whether the instructor opened the registry's class namespace (`localhost:5000/class/…`, sandbox only). */
  sharedRegistry?: boolean;
}

export interface JoinAnswer {
  workshop: LearnerWorkshop;
  /** `handle`: the learner's own part of the class namespace, `localhost:5000/class/<handle>/`. */
  learner: { id: string; displayName: string; handle?: string };
  resumeToken: string;
}

export interface CreateInput {
  title: string;
  lessons: string[];
  maxLearners?: number;
  learnerLimits?: { memoryBytes?: number; diskBytes?: number };
  /** Only those typed; the server fills in the rest with its defaults. */
  stuckSettings?: { slowFactor?: number; slowFloorMs?: number; failingCommands?: number };
  sharedRegistry?: boolean;
  locale: 'ko' | 'en';
}

export interface CreateAnswer {
  workshop: { id: string; title: string; joinCode: string; lessons: string[] };
  instructorSecret: string;
  joinLink: string;
  instructorLink: string;
}

export interface Capacity {
  available: boolean;
  sandboxes: { max: number; inUse: number; free: number };
}

/** One thing the learner did, as the progress route takes it. */
export interface ProgressReport {
  lesson: string;
  step: number;
  command?: string;
  exitCode?: number;
}

export class WorkshopApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The API's code (`WORKSHOP_CLOSED`, `RATE_LIMITED`…); `UNREACHABLE` when no answer came. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'WorkshopApiError';
  }
}

async function call<T>(method: string, path: string, body?: unknown, bearer?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body), cache: 'no-store' });
  } catch (error) {
    throw new WorkshopApiError(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`, 0, 'UNREACHABLE');
  }
  const json = (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json().catch(() => undefined)) as unknown) : undefined;
  if (!res.ok) {
    const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
    // A static host answers an API path with its 404 page: no workshop server here.
    throw new WorkshopApiError(`${method} ${path}: HTTP ${res.status}`, res.status, typeof code === 'string' ? code : 'NO_SERVER');
  }
  if (json === undefined) throw new WorkshopApiError(`${method} ${path}: not a JSON answer`, res.status, 'NO_SERVER');
  return json as T;
}

const learnerPath = (workshopId: string, learnerId: string) =>
  `/api/workshops/${encodeURIComponent(workshopId)}/learners/${encodeURIComponent(learnerId)}`;

export const workshopApi = {
  capacity: () => call<Capacity>('GET', '/api/workshops/capacity'),
  create: (input: CreateInput) => call<CreateAnswer>('POST', '/api/workshops', input),
  join: (code: string, displayName: string) => call<JoinAnswer & LearnerSandbox>('POST', '/api/workshops/join', { code, displayName }),
  resume: (workshopId: string, learnerId: string, resumeToken: string) =>
    call<{ workshop: LearnerWorkshop } & LearnerSandbox>('POST', `${learnerPath(workshopId, learnerId)}/resume`, undefined, resumeToken),
  report: (workshopId: string, learnerId: string, resumeToken: string, report: ProgressReport) =>
    call<{ position: unknown }>('POST', `${learnerPath(workshopId, learnerId)}/progress`, report, resumeToken),
  /** The learner's live socket's address (`ws:`/`wss:` as the page is served). */
  liveUrl(workshopId: string, learnerId: string): string {
    const url = new URL(`${learnerPath(workshopId, learnerId)}/live`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  },
};
