/**
 * `<ll-theme-toggle>`: a pressed/unpressed "dark theme" button. Without a saved choice
 * the page follows prefers-color-scheme (CSS); the choice is saved in localStorage and
 * applied before first paint by the inline script in Base.astro.
 */
export const THEME_KEY = 'layerlab.theme';

export class ThemeToggleElement extends HTMLElement {
  connectedCallback(): void {
    const button = this.querySelector('button')!;
    const media = matchMedia('(prefers-color-scheme: dark)');
    const isDark = () => (document.documentElement.dataset.theme ?? (media.matches ? 'dark' : 'light')) === 'dark';
    const sync = () => button.setAttribute('aria-pressed', String(isDark()));
    button.addEventListener('click', () => {
      const next = isDark() ? 'light' : 'dark';
      document.documentElement.dataset.theme = next;
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch {
        // Storage can be off (private mode); the choice then lasts for this page only.
      }
      sync();
    });
    media.addEventListener('change', sync);
    sync();
    button.hidden = false;
  }
}

if (!customElements.get('ll-theme-toggle')) customElements.define('ll-theme-toggle', ThemeToggleElement);
