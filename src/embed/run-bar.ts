import { format, type Labels } from '../client/labels.js';
import { h } from './embed-markup.js';

/** `run="click"`: a button that runs the preset commands once, with the first of them shown beside it. */
export function runBar(labels: Labels, commands: readonly string[], run: () => Promise<void>): HTMLElement {
  const button = h('button', { type: 'button', part: 'run' }, format(labels, 'embed.run')) as HTMLButtonElement;
  const bar = h('div', { class: 'run-bar' }, button, h('code', {}, commands.length > 1 ? `${commands[0]} …` : (commands[0] ?? '')));
  const status = h('p', { role: 'status' });
  bar.append(status);
  button.addEventListener('click', () => {
    button.disabled = true;
    void run().then(() => (status.textContent = format(labels, 'embed.ran')));
  });
  return bar;
}
