import type { Prediction } from './lesson.schema.js';

/** What the learner guessed: a choice's index, or the typed text. */
export type Guess = { choice: number } | { typed: string };

export interface PredictionResult {
  right: boolean;
  /** The guess as the learner would read it back (the choice's words, or what they typed). */
  guessed: string;
  /** What happened: the right choice's words, or the first accepted answer. */
  actual: string;
}

// A typed size or count is right however it is spaced or cased: `4.26 MB` is `4.26mb`.
const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, '');

/** The learner's guess against the prediction's answer, for the page to show side by side. */
export function judgePrediction(prediction: Prediction, guess: Guess): PredictionResult {
  if (prediction.choices) {
    const answer = prediction.answer ?? 0;
    const choice = 'choice' in guess ? guess.choice : -1;
    return { right: choice === answer, guessed: prediction.choices[choice] ?? '', actual: prediction.choices[answer]! };
  }
  const typed = 'typed' in guess ? guess.typed : '';
  const accept = prediction.accept ?? [];
  return { right: accept.some((a) => normalise(a) === normalise(typed)), guessed: typed.trim(), actual: accept[0] ?? '' };
}
