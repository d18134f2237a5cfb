import type { Monaco } from './monaco-loader.js';

const THEME = 'layerlab';

/** The site's colours (Base.astro's CSS variables) as they are right now. */
function siteColours(): {
  dark: boolean;
  bg: string;
  fg: string;
  muted: string;
  surface: string;
  border: string;
  accent: string;
  focus: string;
  ok: string;
} {
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

type SiteColour = Exclude<keyof ReturnType<typeof siteColours>, 'dark'>;

/** Which of the site's colours each Monaco colour takes. */
const EDITOR_COLOURS: Record<string, SiteColour> = {
  'editor.background': 'bg',
  'editor.foreground': 'fg',
  'editorLineNumber.foreground': 'muted',
  'editorLineNumber.activeForeground': 'fg',
  'editor.lineHighlightBackground': 'surface',
  'editorWidget.background': 'surface',
  'editorWidget.border': 'border',
  'editorHoverWidget.background': 'surface',
  'editorHoverWidget.border': 'border',
  'editorSuggestWidget.background': 'surface',
  'editorSuggestWidget.border': 'border',
  'editorCursor.foreground': 'accent',
  focusBorder: 'focus',
};

function apply(monaco: Monaco): void {
  const c = siteColours();
  const colors: Record<string, string> = {};
  for (const [key, site] of Object.entries(EDITOR_COLOURS)) {
    const value = hex(c[site]);
    if (value) colors[key] = value;
  }
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
