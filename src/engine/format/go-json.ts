/**
 * JSON as Go's encoding/json writes it: `MarshalIndent` with four spaces for
 * `docker inspect`, and HTML-significant characters escaped (`<` → `\u003c`).
 */
export function goJson(value: unknown, indent = ''): string {
  const text = indent ? JSON.stringify(value, null, indent) : JSON.stringify(value);
  return escapeHtml(text ?? 'null');
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's `time.Time` JSON form: RFC 3339 with nanoseconds, trailing zeros dropped. */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_m, frac: string) => {
    const trimmed = frac.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

/** Go's zero `time.Time`, which Docker prints for never-started containers. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
