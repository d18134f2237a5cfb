import { createProgressStore } from '../lessons/progress.store.js';
import { format, readLabels } from '../client/labels.js';

/** `<ll-lesson-progress>`: "2 of 5 steps done" for one lesson, from the browser's progress store. */
export class LessonProgressElement extends HTMLElement {
  connectedCallback(): void {
    const labels = readLabels(this);
    const stepIds = (this.dataset.steps ?? '').split(' ').filter(Boolean);
    const store = createProgressStore(localStorage);
    const render = () => {
      const done = store.lesson(this.dataset.lessonId!).completedSteps.filter((id) => stepIds.includes(id)).length;
      const text = this.querySelector('[data-text]')!;
      text.textContent = format(labels, 'lessons.progress', { done, total: stepIds.length });
      const bar = this.querySelector('progress')!;
      bar.max = stepIds.length;
      bar.value = done;
    };
    store.subscribe(render);
    window.addEventListener('storage', render);
    render();
  }
}

if (!customElements.get('ll-lesson-progress')) customElements.define('ll-lesson-progress', LessonProgressElement);
