import { readLabels } from '../../client/labels.js';
import { pageBackend } from '../../client/health.js';
import { setUpCreate } from './create-form.js';
import { setUpJoin } from './join-form.js';

/** `/{ko,en}/workshop/`: join a workshop, or create one; a static build without the server says workshops need it. */
const root = document.querySelector<HTMLElement>('[data-workshop-page]');
if (root) {
  const labels = readLabels(root);
  const locale = root.dataset.locale === 'ko' ? 'ko' : 'en';
  setUpJoin(root, labels, locale);
  setUpCreate(root, labels, locale);
  void pageBackend().then((choice) => {
    if (choice.backend !== 'sim' || choice.reason !== 'no-server') return;
    root.querySelector<HTMLElement>('[data-needs-server]')!.hidden = false;
    for (const form of root.querySelectorAll<HTMLFormElement>('form'))
      for (const control of form.elements) (control as HTMLButtonElement).disabled = true;
  });
}
