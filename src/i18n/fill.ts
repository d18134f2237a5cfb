/**
 * Fills `{name}` placeholders, the format of the UI catalogs (ko.json, en.json): `t()` on
 * the server, `format()` in an island, the pictures' labels. A name without a value stays
 * as written, so a missing parameter is visible, never blank. Apart from the catalogs, so
 * an island that fills its labels does not bundle them.
 */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
