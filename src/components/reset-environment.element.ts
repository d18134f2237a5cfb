import { pageEngine } from '../client/page-engine.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from './catch-up-event.js';

/**
 * `<ll-reset-environment>`: "Reset my environment", asked in a dialog first. The page's
 * engine is replaced by a fresh one (the sandbox: a new session; the simulator: a new
 * engine), the old one's containers and images are gone, and nothing is replayed: the
 * islands only restore their files (`fresh`, catch-up-event.ts). The terminal says what
 * happened (notice `reset`); the picture redraws from the new engine (`engine.replaced`).
 */
export class ResetEnvironmentElement extends HTMLElement {
  connectedCallback(): void {
    const open = this.querySelector<HTMLButtonElement>('[data-open]')!;
    const dialog = this.querySelector('dialog')!;
    open.addEventListener('click', () => {
      dialog.returnValue = '';
      dialog.showModal();
    });
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'reset') void this.reset(open);
    });
    // The page's engine starts with the page; until it has, there is nothing to reset.
    void pageEngine().then(
      () => (open.disabled = false),
      () => undefined,
    );
  }

  private async reset(open: HTMLButtonElement): Promise<void> {
    open.disabled = true;
    this.setAttribute('aria-busy', 'true');
    try {
      const engine = await pageEngine();
      await engine.reset();
      const detail: CatchUpDetail = { commands: [], ready: [], fresh: true };
      document.dispatchEvent(new CustomEvent<CatchUpDetail>(CATCH_UP_EVENT, { detail }));
      await Promise.allSettled(detail.ready);
    } catch {
      // An unreachable server is told by the terminal's banner (the session notice).
    } finally {
      open.disabled = false;
      this.removeAttribute('aria-busy');
    }
  }
}

if (!customElements.get('ll-reset-environment')) customElements.define('ll-reset-environment', ResetEnvironmentElement);
