import { frameSnippet } from './frame-snippet.js';

/**
 * What the docs page's builder makes from the author's choices: the tag with its
 * attributes (the defaults left out), the script-and-tag snippet, and the iframe form's
 * address and snippet. Pure, so the snippet the page shows and the widget it previews are
 * made from one description, and a unit test reads both.
 */

export type EmbedTag = 'layerlab-playground' | 'layerlab-picture' | 'layerlab-lesson';

export interface EmbedChoice {
  tag: EmbedTag;
  /** Attribute name → value, in the order they are written; empty values are left out. */
  attrs: [string, string][];
  /** Starting files by name: a `<script type="text/plain" data-file>` child each. */
  files: [string, string][];
}

export function embedChoice(tag: EmbedTag, attrs: [string, string][], files: [string, string][]): EmbedChoice {
  return { tag, attrs: attrs.filter(([, v]) => v !== ''), files: files.filter(([, text]) => text.trim() !== '') };
}

// HTML attribute text: a newline kept as `&#10;`, so each command stays one line of the snippet.
const escapeAttr = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\n', '&#10;');

/** HTML spec: a script's text ends at the first `</script`; a file that holds one goes in the `files` attribute instead. */
const fitsInScript = (text: string) => !/<\/script/i.test(text) && !/<!--/.test(text);

/** The attributes as written, the files a child cannot hold moved into `files` (JSON). */
function written(choice: EmbedChoice): { attrs: [string, string][]; children: [string, string][] } {
  const children = choice.files.filter(([, text]) => fitsInScript(text));
  const inAttr = choice.files.filter(([, text]) => !fitsInScript(text));
  const attrs = [...choice.attrs];
  if (inAttr.length > 0) attrs.push(['files', JSON.stringify(Object.fromEntries(inAttr))]);
  return { attrs, children };
}

/** The tag, as an author pastes it. */
export function tagSnippet(choice: EmbedChoice): string {
  const { attrs, children } = written(choice);
  const open = `<${choice.tag}${attrs.map(([n, v]) => ` ${n}="${escapeAttr(v)}"`).join('')}>`;
  if (children.length === 0) return `${open}</${choice.tag}>`;
  const files = children.map(
    ([name, text]) =>
      `  <script type="text/plain" data-file="${escapeAttr(name)}">\n${text
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => (l === '' ? '' : `    ${l}`))
        .join('\n')}\n  </script>`,
  );
  return `${open}\n${files.join('\n')}\n</${choice.tag}>`;
}

/** The one-script one-tag snippet. */
export function scriptSnippet(origin: string, choice: EmbedChoice): string {
  return `<script type="module" src="${origin}/embed/v1/layerlab.js"></script>\n${tagSnippet(choice)}`;
}

/** The iframe form's address: the same options as query parameters (frame.ts reads them). */
export function frameUrl(origin: string, lang: string, choice: EmbedChoice): string {
  const query = new URLSearchParams();
  if (choice.tag !== 'layerlab-playground') query.set('element', choice.tag.slice('layerlab-'.length));
  for (const [name, value] of choice.attrs) if (name !== 'lang') query.set(name, value);
  if (choice.files.length > 0) query.set('files', JSON.stringify(Object.fromEntries(choice.files)));
  const search = query.toString();
  return `${origin}/${lang}/embed/frame${search ? `?${search}` : ''}`;
}

/** The iframe and the script that sizes it (frame-snippet.ts). */
export function iframeSnippet(origin: string, lang: string, choice: EmbedChoice, title: string): string {
  return frameSnippet(origin, frameUrl(origin, lang, choice), title);
}
