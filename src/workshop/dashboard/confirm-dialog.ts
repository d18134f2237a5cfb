/**
 * Asks before a step that cannot be undone, in the page's `<dialog>` (modal: focus stays in it,
 * Escape cancels). With `typed`, the confirm button waits until that exact text is typed — a
 * workshop's title before it is deleted.
 */
export function confirmAction(dialog: HTMLDialogElement, message: string, typed?: { label: string; expected: string }): Promise<boolean> {
  const text = dialog.querySelector<HTMLElement>('[data-confirm-text]')!;
  const typedBox = dialog.querySelector<HTMLElement>('[data-confirm-typed]')!;
  const typedLabel = dialog.querySelector<HTMLElement>('[data-confirm-typed-label]')!;
  const input = dialog.querySelector<HTMLInputElement>('[data-confirm-input]')!;
  const ok = dialog.querySelector<HTMLButtonElement>('[data-confirm-ok]')!;
  text.textContent = message;
  typedBox.hidden = !typed;
  input.value = '';
  typedLabel.textContent = typed?.label ?? '';
  const check = () => (ok.disabled = typed !== undefined && input.value !== typed.expected);
  check();
  input.addEventListener('input', check);
  dialog.returnValue = '';
  dialog.showModal();
  (typed ? input : ok).focus();
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        input.removeEventListener('input', check);
        resolve(dialog.returnValue === 'ok' && !ok.disabled);
      },
      { once: true },
    );
  });
}
