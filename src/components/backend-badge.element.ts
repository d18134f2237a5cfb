import { pageBackend, type BackendChoice } from '../client/health.js';
import { format, readLabels } from '../client/labels.js';

/** `<ll-backend-badge>`: says whether commands run on the simulator or the sandbox, and why. */
export class BackendBadgeElement extends HTMLElement {
  connectedCallback(): void {
    const labels = readLabels(this);
    void pageBackend().then((choice: BackendChoice) => {
      this.dataset.backend = choice.backend;
      if (choice.backend === 'linux') this.textContent = format(labels, 'backend.sandbox');
      else if (choice.reason === 'no-server') this.textContent = format(labels, 'backend.simNoServer');
      else this.textContent = format(labels, 'backend.simMissing', { missing: choice.missing.join(', ') || '—' });
    });
  }
}

if (!customElements.get('ll-backend-badge')) customElements.define('ll-backend-badge', BackendBadgeElement);
