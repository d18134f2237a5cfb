import { format, type Labels } from '../../client/labels.js';
import { handOffSandbox, leaveSeat, normalizeJoinCode, readSeat, writeSeat } from '../learner-seat.js';
import { workshopApi } from '../workshop-api.js';
import { refusalText } from './refusal-text.js';

/** The code of a join link (`#join=CODE`), if the page was opened with one. */
export function joinCodeFromHash(hash: string): string | undefined {
  const code = new URLSearchParams(hash.replace(/^#/, '')).get('join');
  return code ? code.slice(0, 32) : undefined;
}

const lessonHref = (locale: string, lesson: string) => `/${locale}/lessons/${encodeURIComponent(lesson)}/`;

/**
 * The join box: a code (filled in from a join link) and a display name. A browser that already
 * holds a seat is offered to continue as that learner; the join link of that same workshop
 * takes it straight back to its lesson, where the page resumes it.
 */
export function setUpJoin(root: HTMLElement, labels: Labels, locale: string): void {
  const form = root.querySelector<HTMLFormElement>('[data-join-form]')!;
  const code = form.querySelector<HTMLInputElement>('input[name="code"]')!;
  const name = form.querySelector<HTMLInputElement>('input[name="displayName"]')!;
  const error = form.querySelector<HTMLElement>('[data-join-error]')!;
  const seatBox = root.querySelector<HTMLElement>('[data-seat]')!;

  const fromLink = joinCodeFromHash(location.hash);
  const seat = readSeat();
  if (seat && fromLink && normalizeJoinCode(fromLink) === seat.joinCode) {
    location.replace(lessonHref(locale, seat.lesson));
    return;
  }
  if (seat) {
    seatBox.hidden = false;
    seatBox.querySelector('[data-seat-text]')!.textContent = format(labels, 'workshop.join.seat', {
      title: seat.workshop.title,
      name: seat.displayName,
    });
    seatBox.querySelector<HTMLAnchorElement>('[data-seat-continue]')!.href = lessonHref(locale, seat.lesson);
    seatBox.querySelector('[data-seat-leave]')!.addEventListener('click', () => {
      leaveSeat();
      seatBox.hidden = true;
      code.focus();
    });
  }
  if (fromLink) {
    code.value = fromLink;
    name.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const button = form.querySelector('button')!;
    button.disabled = true;
    void workshopApi
      .join(code.value.trim(), name.value.trim())
      .then((answer) => {
        const { workshop, learner, resumeToken } = answer;
        const first = workshop.lessons[0]!;
        writeSeat({
          workshopId: workshop.id,
          learnerId: learner.id,
          resumeToken,
          displayName: learner.displayName,
          ...(learner.handle ? { handle: learner.handle } : {}),
          joinCode: normalizeJoinCode(code.value),
          workshop: {
            id: workshop.id,
            title: workshop.title,
            lessons: workshop.lessons,
            closedAt: workshop.closedAt,
            sharedRegistry: workshop.sharedRegistry ?? false,
          },
          lesson: first,
        });
        handOffSandbox(
          answer.session ? { session: answer.session, simulator: null } : { session: null, simulator: answer.simulator ?? 'SANDBOX_UNAVAILABLE' },
        );
        location.assign(lessonHref(locale, first));
      })
      .catch((e: unknown) => {
        error.textContent = refusalText(labels, e);
        button.disabled = false;
      });
  });
}
