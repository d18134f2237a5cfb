import { embedChoice, iframeSnippet, scriptSnippet, type EmbedChoice, type EmbedTag } from './embed-snippet.js';

/**
 * The docs page's builder (`/{ko,en}/embed`): the author picks the element and its options,
 * the real widget is made again as they change (a moment after the last keystroke), and the
 * snippets — the script-and-tag one and the iframe — are the same choice written out.
 * The elements themselves come from the page's `/embed/v1/layerlab.js`, as on any page.
 */
const form = document.querySelector<HTMLFormElement>('form[data-embed-builder]')!;
const preview = document.querySelector<HTMLElement>('[data-embed-preview]')!;
const snippet = document.querySelector<HTMLTextAreaElement>('[data-embed-snippet]')!;
const frame = document.querySelector<HTMLTextAreaElement>('[data-embed-frame-snippet]')!;
const origin = location.origin;

function choose(): { choice: EmbedChoice; lang: string } {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const element = text('element');
  const tag: EmbedTag = element === 'picture' ? 'layerlab-picture' : element === 'lesson' ? 'layerlab-lesson' : 'layerlab-playground';
  const allowed = tag === 'layerlab-picture' ? ['graph', 'files', 'hood', 'tables'] : ['terminal', 'graph', 'files', 'hood', 'tables'];
  const view = data
    .getAll('view')
    .map(String)
    .filter((v) => allowed.includes(v));
  const lang = text('lang');
  const lesson = tag === 'layerlab-lesson';
  // A lesson brings its own commands and files: the builder's are the playground's and the picture's.
  const choice = embedChoice(
    tag,
    [
      ['lang', lang],
      ['lesson', lesson ? text('lesson') : ''],
      ['step', lesson ? text('step') : ''],
      ['view', view.join(',')],
      ['commands', lesson ? '' : String(data.get('commands') ?? '').trim()],
      ['run', lesson || text('run') === 'load' ? '' : text('run')],
      ['theme', text('theme') === 'auto' ? '' : text('theme')],
      ['height', text('height')],
      // `editor` alone opens the Dockerfile: the builder's one file.
      ['editor', tag === 'layerlab-playground' && data.has('editor') ? 'Dockerfile' : ''],
    ],
    lesson ? [] : [['Dockerfile', String(data.get('dockerfile') ?? '')]],
  );
  return { choice, lang };
}

function show(): void {
  const { choice, lang } = choose();
  const element = document.createElement(choice.tag);
  for (const [name, value] of choice.attrs) element.setAttribute(name, value);
  for (const [name, text] of choice.files) {
    const file = document.createElement('script');
    file.type = 'text/plain';
    file.dataset.file = name;
    file.textContent = text;
    element.append(file);
  }
  preview.replaceChildren(element);
  snippet.value = scriptSnippet(origin, choice);
  frame.value = iframeSnippet(origin, lang, choice, 'Layerlab');
  // The picture has no terminal: its box is shown, not offered.
  const terminal = form.querySelector<HTMLInputElement>('input[name="view"][value="terminal"]')!;
  terminal.disabled = choice.tag === 'layerlab-picture';
  // The lesson's fields for the lesson, the commands and the Dockerfile for the others.
  for (const field of form.querySelectorAll<HTMLElement>('[data-for-lesson]')) field.hidden = choice.tag !== 'layerlab-lesson';
  for (const name of ['commands', 'dockerfile', 'run'])
    form.querySelector<HTMLElement>(`[name="${name}"]`)!.closest('label')!.hidden = choice.tag === 'layerlab-lesson';
  // The editor is the playground's only.
  form.querySelector<HTMLElement>('[name="editor"]')!.closest('label')!.hidden = choice.tag !== 'layerlab-playground';
}

let timer: ReturnType<typeof setTimeout> | undefined;
form.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(show, 400);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  show();
});
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
  const status = document.getElementById(button.dataset.status ?? '');
  button.addEventListener('click', () => {
    const source = document.getElementById(button.dataset.copy!) as HTMLTextAreaElement;
    const said = (text: string | undefined) => status && (status.textContent = text ?? '');
    navigator.clipboard.writeText(source.value).then(
      () => said(button.dataset.copied),
      () => {
        // No clipboard (an insecure origin, or refused): the text is selected for Ctrl+C.
        source.select();
        said(button.dataset.select);
      },
    );
  });
}
// The static examples' code names this site's own address, known only here.
for (const code of document.querySelectorAll<HTMLElement>('[data-with-origin]'))
  code.textContent = (code.textContent ?? '').replaceAll(code.dataset.withOrigin!, origin);
show();
