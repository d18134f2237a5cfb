/** A workshop refusal with a stable code; the API maps codes to statuses (`api/workshops.routes.ts`). */
export class WorkshopError extends Error {
  constructor(
    readonly code: WorkshopErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkshopError';
  }
}

export type WorkshopErrorCode =
  | 'NO_SUCH_WORKSHOP'
  | 'NO_SUCH_LEARNER'
  | 'WRONG_SECRET'
  | 'WORKSHOP_FULL'
  | 'JOINING_PAUSED'
  | 'WORKSHOP_CLOSED'
  | 'INVALID_DISPLAY_NAME'
  | 'INVALID_WORKSHOP'
  | 'INVALID_PROGRESS'
  | 'PROGRESS_LIMIT'
  | 'INVALID_HINT'
  | 'HINT_LIMIT';
