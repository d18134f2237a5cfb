import type { Monaco } from './monaco-loader.js';

const THEME = 'layerlab';

/** The site's colours (Base.astro's CSS variables, or an embed's on its `.ll` box) as they are right now on `source`. */
function siteColours(source: Element): {
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
  const style = getComputedStyle(source);
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

function apply(monaco: Monaco, source: Element): void {
  const c = siteColours(source);
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

/** The source whose colours Monaco's one theme follows: the first editor's, while it lives. */
let following: Element | undefined;

/**
 * Follows the light/dark choice of `source`: the system's preference, or the learner's
 * (ThemeToggle sets `data-theme` on <html>, the site's source), or an embed's `theme` (its
 * `.ll` box's `data-theme`). Monaco has one theme a page (`setTheme` is global): several
 * editors on one page share the first one's, and the others follow nothing. Returns the
 * function that stops following.
 */
export function followSiteTheme(monaco: Monaco, source: Element = document.documentElement): () => void {
  if (following !== undefined && following !== source) return () => undefined;
  following = source;
  apply(monaco, source);
  const media = matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => apply(monaco, source);
  media.addEventListener('change', onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(source, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    media.removeEventListener('change', onChange);
    observer.disconnect();
    following = undefined;
  };
}
