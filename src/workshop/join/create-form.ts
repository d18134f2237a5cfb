import { format, type Labels } from '../../client/labels.js';
import { workshopApi, type Capacity, type CreateInput } from '../workshop-api.js';
import { refusalText } from './refusal-text.js';

const MiB = 1024 * 1024;

/** What the server can hold, said before the class: learners past it run the simulator in their browser. */
export function capacityText(labels: Labels, capacity: Capacity): string {
  if (!capacity.available) return format(labels, 'workshop.create.capacityNone');
  const { max, inUse, free } = capacity.sandboxes;
  return format(labels, 'workshop.create.capacity', { max, inUse, free });
}

/** A positive whole number typed in an optional field, or undefined. */
const whole = (input: HTMLInputElement | null) => {
  const n = Number(input?.value ?? '');
  return input?.value && Number.isInteger(n) && n > 0 ? n : undefined;
};

/** The form as the create route takes it: the checked lessons in the order the list shows them. */
export function createInput(form: HTMLFormElement, locale: 'ko' | 'en'): CreateInput {
  const lessons = [...form.querySelectorAll<HTMLInputElement>('input[name="lesson"]')].filter((i) => i.checked).map((i) => i.value);
  const title = form.querySelector<HTMLInputElement>('input[name="title"]')!.value.trim();
  const maxLearners = whole(form.querySelector('input[name="maxLearners"]'));
  const memoryMiB = whole(form.querySelector('input[name="memoryMiB"]'));
  const diskMiB = whole(form.querySelector('input[name="diskMiB"]'));
  const learnerLimits = {
    ...(memoryMiB ? { memoryBytes: memoryMiB * MiB } : {}),
    ...(diskMiB ? { diskBytes: diskMiB * MiB } : {}),
  };
  const slowFactorField = form.querySelector<HTMLInputElement>('input[name="slowFactor"]');
  const slowFactor = slowFactorField?.value ? Number(slowFactorField.value) : undefined;
  const slowFloorSeconds = whole(form.querySelector('input[name="slowFloorSeconds"]'));
  const failingCommands = whole(form.querySelector('input[name="failingCommands"]'));
  const stuckSettings = {
    ...(slowFactor !== undefined ? { slowFactor } : {}),
    ...(slowFloorSeconds ? { slowFloorMs: slowFloorSeconds * 1000 } : {}),
    ...(failingCommands ? { failingCommands } : {}),
  };
  return {
    title,
    lessons,
    locale,
    ...(maxLearners ? { maxLearners } : {}),
    ...(Object.keys(learnerLimits).length > 0 ? { learnerLimits } : {}),
    ...(Object.keys(stuckSettings).length > 0 ? { stuckSettings } : {}),
  };
}

/** ↑ and ↓ move a lesson within the list; the focus stays on the button pressed, so a keyboard moves it again. */
function setUpReorder(list: HTMLElement): void {
  list.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-move]');
    const item = button?.closest('li');
    if (!button || !item) return;
    if (button.dataset.move === 'up' && item.previousElementSibling) item.previousElementSibling.before(item);
    else if (button.dataset.move === 'down' && item.nextElementSibling) item.nextElementSibling.after(item);
    button.focus();
  });
}

/**
 * The create form: title, lessons chosen and ordered, optional limits. What it answers is shown
 * once — the join code and link for learners, the instructor's secret link — and never stored here.
 */
export function setUpCreate(root: HTMLElement, labels: Labels, locale: 'ko' | 'en'): void {
  const form = root.querySelector<HTMLFormElement>('[data-create-form]')!;
  const error = form.querySelector<HTMLElement>('[data-create-error]')!;
  const created = root.querySelector<HTMLElement>('[data-created]')!;
  setUpReorder(form.querySelector('[data-lesson-picker]')!);

  const capacity = root.querySelector<HTMLElement>('[data-capacity]')!;
  void workshopApi.capacity().then(
    (answer) => (capacity.textContent = capacityText(labels, answer)),
    () => (capacity.textContent = format(labels, 'workshop.create.capacityUnknown')),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const input = createInput(form, locale);
    if (input.lessons.length === 0) {
      error.textContent = format(labels, 'workshop.create.noLessons');
      return;
    }
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
    button.disabled = true;
    void workshopApi
      .create(input)
      .then((answer) => {
        const absolute = (path: string) => new URL(path, location.href).href;
        created.querySelector('[data-join-code]')!.textContent = answer.workshop.joinCode;
        created.querySelector<HTMLInputElement>('[data-join-link]')!.value = absolute(answer.joinLink);
        created.querySelector<HTMLInputElement>('[data-instructor-link]')!.value = absolute(answer.instructorLink);
        created.querySelector<HTMLAnchorElement>('[data-instructor-open]')!.href = absolute(answer.instructorLink);
        form.hidden = true;
        created.hidden = false;
        created.focus();
      })
      .catch((e: unknown) => {
        error.textContent = refusalText(labels, e);
        button.disabled = false;
      });
  });

  created.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-copy]');
    if (!button) return;
    const field = root.querySelector<HTMLInputElement>(`#${button.dataset.copy!}`)!;
    const said = created.querySelector<HTMLElement>('[data-copied]')!;
    const byHand = () => {
      field.select();
      said.textContent = format(labels, 'workshop.create.copyByHand');
    };
    // The clipboard needs a secure context (README: serving a room over TLS); without it the link is selected to copy by hand.
    if (!navigator.clipboard) return byHand();
    navigator.clipboard.writeText(field.value).then(() => (said.textContent = format(labels, 'workshop.create.copied')), byHand);
  });
}
