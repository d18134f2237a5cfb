import type { ChallengeGrade, GradedChallenge } from '../lessons/challenge-grade.js';
import type { LessonProgress } from '../lessons/progress.store.js';
import { format, type Labels } from '../client/labels.js';
import { inlineCodeHtml } from './inline-code.js';

/** What the page needs to grade the challenge (LessonRunner's `data-challenge-data`). */
export type ChallengeData = GradedChallenge & { hints: number };

/**
 * The challenge box: shown once the steps are done; as many hints open as the learner
 * asked for (each asks for the next); the last grade's near-miss message, or done.
 */
export function renderChallenge(
  root: HTMLElement,
  challenge: ChallengeData,
  progress: LessonProgress,
  stepsDone: boolean,
  grade: ChallengeGrade | undefined,
  labels: Labels,
): void {
  const box = root.querySelector<HTMLElement>('[data-challenge]');
  if (!box) return;
  box.hidden = !stepsDone;
  const done = progress.challengeDone === true;
  box.toggleAttribute('data-done', done);
  const opened = Math.min(progress.hints ?? 0, challenge.hints);
  box.querySelectorAll<HTMLElement>('[data-hints] li').forEach((li, i) => (li.hidden = i >= opened));
  const next = box.querySelector<HTMLButtonElement>('[data-hint-next]')!;
  next.hidden = opened >= challenge.hints;
  next.textContent = format(labels, 'lesson.challenge.hint', { n: opened + 1, total: challenge.hints });
  const status = box.querySelector<HTMLElement>('[data-challenge-status]')!;
  if (done) status.textContent = format(labels, 'lesson.challenge.done');
  else if (grade?.kind === 'nearMiss') status.innerHTML = inlineCodeHtml(format(labels, 'lesson.challenge.nearMiss', { message: grade.message }));
  else status.textContent = '';
}
