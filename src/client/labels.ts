import { fill } from '../i18n/fill.js';

/** UI strings handed from the page (server-rendered, one locale) to an island as JSON. */
export type Labels = Record<string, string>;

export function readLabels(element: HTMLElement): Labels {
  const raw = element.dataset.labels;
  return raw ? (JSON.parse(raw) as Labels) : {};
}

/** `{name}` placeholders filled, as `t()` does on the server. */
export function format(labels: Labels, key: string, params: Record<string, string | number> = {}): string {
  return fill(labels[key] ?? key, params);
}
