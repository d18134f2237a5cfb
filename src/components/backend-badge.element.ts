import { BADGE_KEYS, missingKey, onBackendChange, pageBackend, type BackendChoice } from '../client/health.js';
import { format, readLabels } from '../client/labels.js';

/** `<ll-backend-badge>`: says whether commands run on the simulator or the sandbox, and why. */
export class BackendBadgeElement extends HTMLElement {
  private offChange: (() => void) | undefined;

  connectedCallback(): void {
    const labels = readLabels(this);
    const show = (choice: BackendChoice) => {
      this.dataset.backend = choice.backend;
      this.textContent = format(
        labels,
        BADGE_KEYS[choice.reason],
        choice.reason === 'no-sandbox' ? { missing: choice.missing.map((m) => labels[missingKey(m.code)] ?? m.reason).join(' · ') || '—' } : {},
      );
    };
    void pageBackend().then(show);
    // The sandbox may refuse the page its session after the probe said yes (full).
    this.offChange = onBackendChange(show);
  }

  disconnectedCallback(): void {
    this.offChange?.();
  }
}

if (!customElements.get('ll-backend-badge')) customElements.define('ll-backend-badge', BackendBadgeElement);
