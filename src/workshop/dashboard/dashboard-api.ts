import type { InstructorAccess } from './instructor-link.js';
import type { WireLearner, WireWorkshop } from './class-rows.js';
import type { WireStuckSettings } from './stuck-settings-form.js';

/** The instructor's secret travels in this header (sandbox-server/api/workshops.routes.ts), never in a URL. */
const SECRET_HEADER = 'X-Instructor-Secret';

/** A refusal as the API words it (`{error: {code, message}}`), or `NETWORK` when no answer came. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface ExportFile {
  blob: Blob;
  filename: string;
}

/** The instructor's calls on one workshop, each with the secret in its header. */
export class DashboardApi {
  constructor(private access: InstructorAccess) {}

  get workshopId(): string {
    return this.access.workshopId;
  }

  get secret(): string {
    return this.access.secret;
  }

  private get base(): string {
    return `/api/workshops/${encodeURIComponent(this.access.workshopId)}`;
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set(SECRET_HEADER, this.access.secret);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { ...init, headers, cache: 'no-store' });
    } catch (error) {
      throw new ApiFailure('NETWORK', error instanceof Error ? error.message : String(error), 0);
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiFailure(body?.error?.code ?? `HTTP_${response.status}`, body?.error?.message ?? response.statusText, response.status);
  }

  async classOf(): Promise<{ workshop: WireWorkshop; learners: WireLearner[] }> {
    return (await this.call('/class')).json() as Promise<{ workshop: WireWorkshop; learners: WireLearner[] }>;
  }

  /** To one learner, or (no `learnerId`) to everyone. */
  async sendHint(text: string, learnerId?: string): Promise<void> {
    await this.call('/hints', { method: 'POST', body: JSON.stringify(learnerId ? { text, learnerId } : { text }) });
  }

  async resetSandbox(learnerId: string): Promise<{ sandbox: 'session' | 'simulator' }> {
    return (await this.call(`/learners/${encodeURIComponent(learnerId)}/reset`, { method: 'POST' })).json() as Promise<{
      sandbox: 'session' | 'simulator';
    }>;
  }

  async update(
    change: { joinPaused: boolean } | { closed: true } | { stuckSettings: WireStuckSettings } | { sharedRegistry: boolean },
  ): Promise<WireWorkshop> {
    const { workshop } = (await (await this.call('', { method: 'PATCH', body: JSON.stringify(change) })).json()) as { workshop: WireWorkshop };
    return workshop;
  }

  /** Revokes the secret: the old link stops working; from now on this dashboard uses the new one. */
  async revoke(): Promise<string> {
    const { instructorSecret } = (await (await this.call('/secret', { method: 'POST' })).json()) as { instructorSecret: string };
    this.access = { ...this.access, secret: instructorSecret };
    return instructorSecret;
  }

  async remove(): Promise<void> {
    await this.call('', { method: 'DELETE' });
  }

  /** The export as the server makes it, named as its Content-Disposition names it. */
  async exportFile(format: 'csv' | 'json'): Promise<ExportFile> {
    const response = await this.call(`/export?format=${format}`);
    const disposition = response.headers.get('content-disposition') ?? '';
    const named = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
    return { blob: await response.blob(), filename: named ?? `workshop-${this.access.workshopId}.${format}` };
  }
}
