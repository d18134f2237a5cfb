import { createProgressStore } from '../lessons/progress.store.js';
import { format, readLabels } from '../client/labels.js';

/** `<ll-progress-file>`: downloads the progress as a JSON file, and merges one back in. */
export class ProgressFileElement extends HTMLElement {
  connectedCallback(): void {
    const labels = readLabels(this);
    const store = createProgressStore(localStorage);
    const status = this.querySelector('[data-status]')!;
    this.querySelector('[data-export]')!.addEventListener('click', () => {
      const url = URL.createObjectURL(new Blob([store.exportJson()], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'layerlab-progress.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 0);
    });
    const file = this.querySelector<HTMLInputElement>('input[type="file"]')!;
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      try {
        store.importJson(await chosen.text());
        status.textContent = format(labels, 'lessons.imported');
        // Other islands on the page read the store on their own; a storage event tells them.
        window.dispatchEvent(new StorageEvent('storage'));
      } catch {
        status.textContent = format(labels, 'lessons.importFailed');
      }
      file.value = '';
    });
  }
}

if (!customElements.get('ll-progress-file')) customElements.define('ll-progress-file', ProgressFileElement);
