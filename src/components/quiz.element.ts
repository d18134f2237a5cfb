import { createProgressStore, type ProgressStore } from '../lessons/progress.store.js';
import { format, readLabels, type Labels } from '../client/labels.js';

/**
 * `<ll-quiz>`: the questions at a lesson's end. A checked answer is kept with the lesson's
 * progress (by question id) and explained, right or wrong; a later answer replaces it.
 */
export class QuizElement extends HTMLElement {
  private labels: Labels = {};
  private lessonId = '';
  private store!: ProgressStore;
  private unsubscribe: (() => void) | undefined;

  connectedCallback(): void {
    this.labels = readLabels(this);
    this.lessonId = this.dataset.lessonId!;
    this.store = createProgressStore(localStorage);
    this.unsubscribe = this.store.subscribe(() => this.render());
    this.addEventListener('submit', this.onSubmit);
    this.render();
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.removeEventListener('submit', this.onSubmit);
  }

  private readonly onSubmit = (event: SubmitEvent) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.question === undefined) return;
    event.preventDefault();
    const picked = new FormData(form).get(`quiz-${form.dataset.question}`);
    if (typeof picked === 'string') this.store.answerQuiz(this.lessonId, form.dataset.question, Number(picked));
  };

  private render(): void {
    const answers = this.store.lesson(this.lessonId).quiz ?? {};
    const forms = [...this.querySelectorAll<HTMLFormElement>('form[data-question]')];
    let right = 0;
    for (const form of forms) {
      const answer = Number(form.dataset.answer);
      const given = answers[form.dataset.question!];
      const feedback = form.querySelector<HTMLElement>('[data-feedback]')!;
      feedback.hidden = given === undefined;
      if (given === undefined) continue;
      const radio = form.querySelectorAll<HTMLInputElement>('input[type="radio"]')[given];
      if (radio) radio.checked = true;
      if (given === answer) right += 1;
      feedback.toggleAttribute('data-right', given === answer);
      const choices = form.querySelectorAll('[data-choice]');
      feedback.querySelector('[data-verdict]')!.textContent =
        given === answer
          ? format(this.labels, 'lesson.quiz.right')
          : format(this.labels, 'lesson.quiz.wrong', { answer: choices[answer]?.textContent ?? '' });
    }
    const answered = forms.filter((f) => answers[f.dataset.question!] !== undefined).length;
    this.querySelector('[data-score]')!.textContent =
      answered === forms.length ? format(this.labels, 'lesson.quiz.score', { right, total: forms.length }) : '';
  }
}

if (!customElements.get('ll-quiz')) customElements.define('ll-quiz', QuizElement);
