import { format, readLabels, type Labels } from '../../client/labels.js';
import { leaveSeat, seatForLesson } from '../learner-seat.js';
import type { LearnerWorkshop } from '../workshop-api.js';
import { onLearnerEvent, type LearnerEvent } from './learner-events.js';

/**
 * `<ll-workshop-bar>`: shown on a lesson page of the learner's workshop. Every text it shows
 * from the server (the title, a hint) is set as text, never as HTML: an instructor's words are
 * not the page's markup either.
 */
export class WorkshopBarElement extends HTMLElement {
  private labels: Labels = {};
  private titles: Record<string, string> = {};
  private off: (() => void) | undefined;
  private handle: string | undefined;
  private workshop: LearnerWorkshop | undefined;
  private sandbox: 'session' | 'simulator' | undefined;

  connectedCallback(): void {
    const lessonId = this.dataset.lessonId;
    const seat = seatForLesson(lessonId);
    if (!seat || !lessonId) return;
    this.labels = readLabels(this);
    this.titles = JSON.parse(this.querySelector('script[data-lesson-titles]')?.textContent ?? '{}') as Record<string, string>;
    this.hidden = false;
    this.handle = seat.handle;
    this.renderWorkshop(seat.workshop);
    this.querySelector('[data-workshop-leave]')!.addEventListener('click', () => {
      leaveSeat();
      location.reload();
    });
    this.off = onLearnerEvent((event) => this.on(event));
  }

  disconnectedCallback(): void {
    this.off?.();
  }

  private on(event: LearnerEvent): void {
    switch (event.kind) {
      case 'workshop':
        return this.renderWorkshop(event.workshop);
      case 'sandbox':
        this.text('[data-workshop-sandbox]', event.sandbox === 'session' ? 'workshop.learner.onSandbox' : 'workshop.learner.onSimulator');
        this.sandbox = event.sandbox;
        return this.renderRegistry();
      case 'hint':
        return this.addHint(event.hint);
      case 'reset':
        this.text('[data-workshop-reset]', 'workshop.learner.wasReset');
        this.querySelector<HTMLElement>('[data-workshop-reset]')!.hidden = false;
        return;
      case 'live':
        // Said only while it is down (a restart): it comes back by itself.
        return this.warn(event.open ? undefined : 'workshop.learner.reconnecting', 'live');
      case 'refused':
        return this.warn(event.code === 'WORKSHOP_CLOSED' ? 'workshop.learner.closed' : 'workshop.learner.refused', 'refused');
    }
  }

  private renderWorkshop(workshop: LearnerWorkshop): void {
    const lessonId = this.dataset.lessonId!;
    const i = workshop.lessons.indexOf(lessonId);
    this.querySelector('[data-workshop-title]')!.textContent = format(this.labels, 'workshop.learner.title', { title: workshop.title });
    this.text('[data-workshop-place]', 'workshop.learner.place', { i: i + 1, n: workshop.lessons.length });
    const next = workshop.lessons[i + 1];
    const nextBox = this.querySelector<HTMLElement>('[data-workshop-next]')!;
    nextBox.replaceChildren();
    if (next) {
      const link = document.createElement('a');
      link.href = `/${this.dataset.locale}/lessons/${encodeURIComponent(next)}/`;
      link.textContent = format(this.labels, 'workshop.learner.next', { title: this.titles[next] ?? next });
      link.dataset.workshopNextLink = next;
      nextBox.append(link);
    } else nextBox.textContent = format(this.labels, 'workshop.learner.last');
    if (workshop.closedAt !== null) this.warn('workshop.learner.closed', 'refused');
    this.workshop = workshop;
    this.renderRegistry();
  }

  /** The class namespace, while the instructor has it open: the learner's own part on the sandbox, or that it needs one. */
  private renderRegistry(): void {
    const line = this.querySelector<HTMLElement>('[data-workshop-registry]')!;
    const open = this.workshop?.sharedRegistry === true && this.workshop.closedAt === null;
    const key = !open
      ? undefined
      : this.sandbox === 'simulator'
        ? 'workshop.learner.registryNeedsSandbox'
        : this.sandbox === 'session' && this.handle
          ? 'workshop.learner.registry'
          : undefined;
    line.hidden = key === undefined;
    line.textContent = key ? format(this.labels, key, { handle: this.handle ?? '' }) : '';
  }

  private addHint(hint: { id: string; text: string; toAll: boolean }): void {
    const list = this.querySelector<HTMLOListElement>('[data-workshop-hints]')!;
    const item = document.createElement('li');
    item.dataset.hintId = hint.id;
    item.textContent = hint.text;
    const to = document.createElement('span');
    to.className = 'to';
    to.textContent = ` — ${format(this.labels, hint.toAll ? 'workshop.learner.toAll' : 'workshop.learner.toYou')}`;
    item.append(to);
    list.append(item);
    this.querySelector<HTMLElement>('[data-workshop-hints-box]')!.hidden = false;
    this.querySelector('[data-hint-announce]')!.textContent = format(this.labels, 'workshop.learner.hintArrived', { text: hint.text });
  }

  /** One warning line; a refusal stays, a connection note comes and goes. */
  private warn(key: string | undefined, why: 'live' | 'refused'): void {
    const box = this.querySelector<HTMLElement>('[data-workshop-warn]')!;
    if (box.dataset.why === 'refused' && why === 'live') return;
    box.dataset.why = key ? why : '';
    box.hidden = key === undefined;
    box.textContent = key ? format(this.labels, key) : '';
  }

  private text(selector: string, key: string, params: Record<string, string | number> = {}): void {
    this.querySelector(selector)!.textContent = format(this.labels, key, params);
  }
}

if (!customElements.get('ll-workshop-bar')) customElements.define('ll-workshop-bar', WorkshopBarElement);
