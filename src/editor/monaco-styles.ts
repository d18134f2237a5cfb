/**
 * Where Monaco's styles go. Its stylesheets (each `import './x.css'` of its modules, made a
 * call of `addMonacoCss` by astro.config.mjs) and the sheets it makes as it runs (theme
 * colours, decorations' rules: `createStyleSheet`, patched to ask `adoptedMonacoStyle` first)
 * are `<style>` elements in the document's head on the site's pages. An embed's editor is in
 * a shadow root, which the document's styles do not reach, on a host page whose CSP may
 * refuse `<style>` elements: once `monacoStylesInShadowRoots()` is called (before Monaco
 * loads) each one is a constructed stylesheet instead, adopted by the shadow roots that hold
 * an editor (`adoptMonacoStyles`) — or only by the one its element is in — and nothing of
 * Monaco's is added to the host's document but its codicon font (a shadow root's
 * `@font-face` is ignored by browsers), which goes to `document.fonts`.
 */

let inShadowRoots = false;
/** The sheets every editor's shadow root adopts, in the order Monaco made them (the cascade's). */
const shared: CSSStyleSheet[] = [];
/** The shadow roots that hold an editor, and the sheets Monaco made for each alone (its theme's colours). */
const roots = new Map<ShadowRoot, CSSStyleSheet[]>();
let pending: string[] = [];
const fonts = new Set<string>();

/** From here on, Monaco's styles go to shadow roots, not to the document. */
export function monacoStylesInShadowRoots(): void {
  inShadowRoots = true;
}

/** One of Monaco's stylesheets, as its module runs. */
export function addMonacoCss(css: string): void {
  if (!inShadowRoots) {
    const style = document.createElement('style');
    style.dataset.monaco = '';
    style.textContent = css;
    document.head.append(style);
    return;
  }
  // A hundred modules' sheets arrive in one evaluation: parsed as one sheet, once they all have.
  if (pending.length === 0) queueMicrotask(flush);
  pending.push(css);
}

function flush(): void {
  if (pending.length === 0) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(pending.join('\n'));
  pending = [];
  for (const rule of [...sheet.cssRules]) if (rule instanceof CSSFontFaceRule) addFont(rule);
  add(sheet, undefined);
}

function addFont(rule: CSSFontFaceRule): void {
  const family = rule.style.getPropertyValue('font-family').replace(/^["']|["']$/g, '');
  const src = rule.style.getPropertyValue('src');
  if (!family || !src || fonts.has(`${family} ${src}`)) return;
  fonts.add(`${family} ${src}`);
  // Fetched when a glyph is first drawn, as a stylesheet's font is; the page's CSP says whether (font-src).
  document.fonts.add(new FontFace(family, src, { display: rule.style.getPropertyValue('font-display') as FontDisplay }));
}

/** A shadow root that holds an editor: it takes every shared sheet, now and as Monaco makes more. */
export function adoptMonacoStyles(root: ShadowRoot): void {
  flush();
  if (roots.has(root)) return;
  roots.set(root, []);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...shared];
}

function add(sheet: CSSStyleSheet, root: ShadowRoot | undefined): void {
  if (root) {
    if (!roots.has(root)) adoptMonacoStyles(root);
    roots.get(root)!.push(sheet);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  shared.push(sheet);
  for (const r of roots.keys()) r.adoptedStyleSheets = [...r.adoptedStyleSheets, sheet];
}

function remove(sheet: CSSStyleSheet): void {
  const at = shared.indexOf(sheet);
  if (at >= 0) shared.splice(at, 1);
  for (const [root, own] of roots) {
    if (own.includes(sheet)) own.splice(own.indexOf(sheet), 1);
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
  }
}

/** What Monaco's code reads and writes of the `<style>` elements it makes. */
export interface AdoptedStyle {
  readonly sheet: CSSStyleSheet;
  textContent: string;
  className: string;
  type: string;
  media: string;
  nonce: string;
  remove(): void;
}

/**
 * Monaco's `createStyleSheet(container, beforeAppend)`, for an embed: a constructed sheet in
 * the shadow root `container` is in, or in every editor's root for one in the document's
 * head. Undefined on the site's pages: Monaco makes its `<style>` element as it always does.
 */
export function adoptedMonacoStyle(container: Node | undefined, beforeAppend?: (style: AdoptedStyle) => void): AdoptedStyle | undefined {
  if (!inShadowRoots) return undefined;
  const sheet = new CSSStyleSheet();
  let text = '';
  const style: AdoptedStyle = {
    sheet,
    get textContent() {
      return text;
    },
    set textContent(value: string) {
      text = value ?? '';
      sheet.replaceSync(text);
    },
    className: '',
    type: 'text/css',
    media: 'screen',
    nonce: '',
    remove: () => remove(sheet),
  };
  beforeAppend?.(style);
  const root = container?.getRootNode();
  add(sheet, root instanceof ShadowRoot ? root : undefined);
  return style;
}
