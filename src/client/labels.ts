/** UI strings handed from the page (server-rendered, one locale) to an island as JSON. */
export type Labels = Record<string, string>;

export function readLabels(element: HTMLElement): Labels {
  const raw = element.dataset.labels;
  return raw ? (JSON.parse(raw) as Labels) : {};
}

/** `{name}` placeholders filled, as `t()` does on the server. */
export function format(labels: Labels, key: string, params: Record<string, string | number> = {}): string {
  const text = labels[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
