import type { Monaco } from './monaco-loader.js';

const THEME = 'layerlab';

/** The site's colours (Base.astro's CSS variables) as they are right now. */
function siteColours(): { dark: boolean; bg: string; fg: string; muted: string; surface: string; border: string; accent: string; focus: string; ok: string } {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    dark: style.colorScheme.includes('dark'),
    bg: v('--bg', '#ffffff'),
    fg: v('--fg', '#1b1f24'),
    muted: v('--muted', '#57606a'),
    surface: v('--surface', '#f6f8fa'),
    border: v('--border', '#d0d7de'),
    accent: v('--accent', '#0b5cad'),
    focus: v('--focus', '#bf5700'),
    ok: v('--ok', '#1a7f37'),
  };
}

/** Monaco wants #rrggbb; the site's variables are written that way (Base.astro). */
const hex = (colour: string) => (/^#[0-9a-f]{6}$/i.test(colour) ? colour : undefined);

function apply(monaco: Monaco): void {
  const c = siteColours();
  const colors: Record<string, string> = {};
  const set = (key: string, value: string | undefined) => {
    if (value) colors[key] = value;
  };
  set('editor.background', hex(c.bg));
  set('editor.foreground', hex(c.fg));
  set('editorLineNumber.foreground', hex(c.muted));
  set('editorLineNumber.activeForeground', hex(c.fg));
  set('editor.lineHighlightBackground', hex(c.surface));
  set('editorWidget.background', hex(c.surface));
  set('editorWidget.border', hex(c.border));
  set('editorHoverWidget.background', hex(c.surface));
  set('editorHoverWidget.border', hex(c.border));
  set('editorSuggestWidget.background', hex(c.surface));
  set('editorSuggestWidget.border', hex(c.border));
  set('editorCursor.foreground', hex(c.accent));
  set('focusBorder', hex(c.focus));
  monaco.editor.defineTheme(THEME, {
    base: c.dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [{ token: 'keyword', foreground: (hex(c.accent) ?? '#0b5cad').slice(1), fontStyle: 'bold' }],
    colors,
  });
  monaco.editor.setTheme(THEME);
}

/**
 * Follows the site's light/dark choice: the system's preference, or the learner's
 * (ThemeToggle sets `data-theme` on <html>). Returns the function that stops following.
 */
export function followSiteTheme(monaco: Monaco): () => void {
  apply(monaco);
  const media = matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => apply(monaco);
  media.addEventListener('change', onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    media.removeEventListener('change', onChange);
    observer.disconnect();
  };
}
