/**
 * Sent on `document` by `<ll-lesson>` whenever its current step changes (and once when it first
 * renders): `index` is the 0-based index of the step the learner is on, `total` once all are done.
 * A workshop reports it (src/workshop/learner/); `<ll-lesson data-step-index>` says the same for
 * whoever starts listening late.
 */
export const STEP_EVENT = 'll-step';
export type StepEventDetail = { lessonId: string; index: number; total: number };
