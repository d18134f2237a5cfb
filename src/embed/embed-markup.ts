import { format, type Labels } from '../client/labels.js';
import { PICTURE_PREFIXES } from '../components/picture-labels.js';
import type { EmbedPart } from './embed-options.js';

/**
 * The markup the site's `Terminal.astro` and `Picture.astro` render on the server, made in
 * the browser for an embed's shadow root: the same parts (`data-*`) that `<ll-terminal>` and
 * `<ll-picture>` look for, so the embed runs the site's islands, not copies of them.
 */

type Attrs = Record<string, string | boolean>;

export function h(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

const TERMINAL_KEYS = [
  'terminal.loading',
  'terminal.ready',
  'terminal.running',
  'terminal.engineFailed',
  'terminal.candidates',
  'terminal.explain',
  'terminal.sessionRenewed',
  'terminal.sessionReset',
  'terminal.unreachable',
  'terminal.onSimulator',
  'terminal.expiring',
  'terminal.outputCut',
  'terminal.outputStopped',
  'terminal.screen',
];

/** The labels an island reads from `data-labels` (as `island-labels.ts` picks them on the server). */
function pick(labels: Labels, keys: readonly string[], prefixes: readonly string[]): string {
  const picked: Labels = {};
  for (const [key, text] of Object.entries(labels)) if (keys.includes(key) || prefixes.some((p) => key.startsWith(p))) picked[key] = text;
  return JSON.stringify(picked);
}

export function terminalMarkup(labels: Labels): HTMLElement {
  const t = (key: string) => format(labels, key);
  return h(
    'll-terminal',
    { 'data-labels': pick(labels, TERMINAL_KEYS, ['error.']), 'data-standalone': true, part: 'terminal' },
    h('div', { class: 'output', 'data-output': true, role: 'log', 'aria-label': t('terminal.output'), tabindex: '0' }),
    h('div', { class: 'tty', 'data-tty': true, hidden: true }),
    h(
      'div',
      { class: 'banner', 'data-banner': true, role: 'alert', hidden: true },
      h('p', { 'data-banner-text': true }),
      h('button', { type: 'button', 'data-retry': true }, t('terminal.retry')),
      h('button', { type: 'button', 'data-simulate': true }, t('terminal.useSimulator')),
    ),
    h(
      'form',
      { class: 'prompt-line' },
      h('span', { class: 'prompt', 'aria-hidden': 'true' }, '$'),
      h('input', {
        type: 'text',
        'aria-label': t('terminal.input'),
        autocomplete: 'off',
        autocapitalize: 'off',
        autocorrect: 'off',
        spellcheck: 'false',
        enterkeyhint: 'send',
        lang: 'en',
        disabled: true,
      }),
    ),
    h('p', { class: 'status', 'data-status': true, role: 'status' }),
  );
}

/** `<ll-picture>` with the parts `view` asks for shown (the element needs them all present). */
export function pictureMarkup(labels: Labels, view: readonly EmbedPart[]): HTMLElement {
  const t = (key: string, params: Record<string, string> = {}) => format(labels, key, params);
  const shown = (part: EmbedPart) => !view.includes(part);
  return h(
    'll-picture',
    { 'data-labels': pick(labels, [], PICTURE_PREFIXES), 'data-standalone': true, part: 'picture' },
    h('p', { class: 'picture__status', 'data-status': true, role: 'status' }),
    h(
      'div',
      { class: 'picture__graph-box', hidden: shown('graph') },
      svgGraph(t('picture.graph')),
      h('p', { class: 'picture__empty', 'data-empty': true, hidden: true }, t('picture.empty')),
    ),
    h(
      'section',
      { class: 'picture__files', hidden: shown('files') },
      h('h3', { id: 'picture-files-title' }, t('picture.files.title')),
      h('p', { 'data-files-hint': true }, t('picture.files.hint')),
      h('div', { class: 'picture__tree', 'data-tree': true, role: 'region', 'aria-labelledby': 'picture-files-title', tabindex: '0', hidden: true }),
    ),
    h(
      'section',
      { class: 'picture__hood hood', 'data-hood': true, 'aria-labelledby': 'picture-hood-title', hidden: shown('hood') },
      h('h3', { id: 'picture-hood-title', 'data-hood-title': true }, t('picture.hood.title', { name: '—' })),
      h('p', { 'data-hood-hint': true }, t('picture.hood.hint')),
      h('div', { 'data-hood-body': true, hidden: true }),
    ),
    h(
      'details',
      { class: 'picture__tables', hidden: shown('tables') },
      h('summary', {}, t('picture.tables.title')),
      h('div', { 'data-tables': true }),
    ),
  );
}

function svgGraph(label: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('data-graph', '');
  svg.setAttribute('class', 'picture__graph');
  svg.setAttribute('aria-label', label);
  return svg;
}
