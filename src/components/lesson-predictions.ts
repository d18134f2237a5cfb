import type { Prediction } from '../lessons/lesson.schema.js';
import { judgePrediction, type Guess } from '../lessons/prediction.js';
import type { LessonProgress } from '../lessons/progress.store.js';
import { format, type Labels } from '../client/labels.js';
import { inlineCodeHtml } from './inline-code.js';

export interface PredictedStep {
  id: string;
  predict?: Prediction;
}

/** The guess a step's form holds when submitted: the picked choice's index, or the typed text. */
export function guessFromForm(form: HTMLFormElement, prediction: Prediction): Guess | undefined {
  const value = new FormData(form).get(`predict-${form.dataset.predict!}`);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return prediction.choices ? { choice: Number(value) } : { typed: value };
}

/**
 * Shows each prediction form's saved guess, and the comparison for the step just finished
 * (the one before the current step, or the last one): the guess beside what happened and
 * why. It stays until the next step is done; the learner goes on whether it was right or not.
 */
export function renderPredictions(
  root: HTMLElement,
  steps: readonly PredictedStep[],
  progress: LessonProgress,
  currentIndex: number,
  labels: Labels,
): void {
  const justDone = steps[currentIndex - 1];
  for (const step of steps) {
    if (!step.predict) continue;
    const guess = progress.predictions?.[step.id];
    const judged = guess && judgePrediction(step.predict, guess);
    const saved = root.querySelector<HTMLElement>(`[data-predict="${step.id}"] [data-predict-saved]`);
    if (saved) saved.innerHTML = judged ? inlineCodeHtml(format(labels, 'lesson.predict.saved', { guess: judged.guessed })) : '';
    const result = root.querySelector<HTMLElement>(`[data-predict-result="${step.id}"]`);
    if (!result) continue;
    result.hidden = step !== justDone || !progress.completedSteps.includes(step.id);
    result.toggleAttribute('data-right', judged?.right === true);
    result.querySelector('[data-predict-verdict]')!.textContent = format(
      labels,
      judged ? (judged.right ? 'lesson.predict.right' : 'lesson.predict.wrong') : 'lesson.predict.none',
    );
    result.querySelector('[data-predict-yours]')!.innerHTML = judged
      ? inlineCodeHtml(format(labels, 'lesson.predict.yours', { guess: judged.guessed }))
      : '';
  }
}
