import { onBackendChange, pageBackend, type BackendChoice } from '../client/health.js';
import { readLabels } from '../client/labels.js';

/**
 * `<ll-backend-note>`: a sentence that says where commands run, by the backend this page
 * really has (`/api/health`): its labels are keyed by backend (`linux`, `sim`), and it stays
 * empty until the probe answers rather than say the wrong one.
 */
export class BackendNoteElement extends HTMLElement {
  private offChange: (() => void) | undefined;

  connectedCallback(): void {
    const labels = readLabels(this);
    const show = (choice: BackendChoice) => {
      this.dataset.backend = choice.backend;
      this.textContent = labels[choice.backend] ?? '';
    };
    void pageBackend().then(show);
    this.offChange = onBackendChange(show);
  }

  disconnectedCallback(): void {
    this.offChange?.();
  }
}

if (!customElements.get('ll-backend-note')) customElements.define('ll-backend-note', BackendNoteElement);
