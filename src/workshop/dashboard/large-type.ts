const LARGE_TYPE_KEY = 'layerlab.workshop.largeType';

/**
 * The projector's mode: everything larger (the root font size, which the page's rem sizes follow),
 * toggled by a pressed/unpressed button and remembered in this browser.
 */
export function wireLargeType(button: HTMLButtonElement, root: HTMLElement): void {
  const apply = (on: boolean) => {
    root.toggleAttribute('data-large-type', on);
    button.setAttribute('aria-pressed', String(on));
  };
  let saved = false;
  try {
    saved = localStorage.getItem(LARGE_TYPE_KEY) === 'on';
  } catch {
    // Storage off: the mode lasts for this page.
  }
  apply(saved);
  button.addEventListener('click', () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    apply(on);
    try {
      localStorage.setItem(LARGE_TYPE_KEY, on ? 'on' : 'off');
    } catch {
      // As above.
    }
  });
}
