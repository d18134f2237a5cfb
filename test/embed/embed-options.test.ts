import { describe, expect, it } from 'vitest';
import { parseEmbedOptions, type EmbedKind } from '../../src/embed/embed-options.js';
import { goalSchema } from '../../src/lessons/goal.js';

/** An embed's attributes as the element would pass them. */
function parse(kind: EmbedKind, attrs: Record<string, string>, childFiles: { name: string; text: string }[] = [], pageLang = '') {
  return parseEmbedOptions(kind, { attr: (name) => attrs[name] ?? null, childFiles, pageLang, goalSchema });
}

const kinds = (r: ReturnType<typeof parse>) => (r.ok ? [] : r.problems.map((p) => p.kind));

describe('embed attributes', () => {
  it('reads a playground with commands, view and files; the page language when lang is left out', () => {
    const r = parse(
      'playground',
      {
        view: 'terminal, graph ,files',
        commands: "docker run --name c1 busybox sh -c 'echo hi > /f'\n\n# a note\n  docker diff c1  ",
        height: '24rem',
      },
      [{ name: './Dockerfile', text: 'FROM busybox\n' }],
      'ko-KR',
    );
    expect(r).toEqual({
      ok: true,
      options: {
        lang: 'ko',
        view: ['terminal', 'graph', 'files'],
        commands: ["docker run --name c1 busybox sh -c 'echo hi > /f'", 'docker diff c1'],
        run: 'load',
        files: { Dockerfile: 'FROM busybox\n' },
        height: '24rem',
        theme: 'auto',
        server: undefined,
        goal: undefined,
      },
    });
  });

  it('defaults: English on a page in neither language, the picture shows the graph', () => {
    const r = parse('picture', { commands: 'docker pull busybox' }, [], 'fr');
    expect(r.ok && [r.options.lang, r.options.view]).toEqual(['en', ['graph']]);
  });

  it.each([
    ['lang', { lang: 'ja' }],
    ['view', { view: 'terminal,editor' }],
    ['view', { view: ' , ' }],
    ['run', { run: 'hover' }],
    ['theme', { theme: 'blue' }],
    ['height', { height: '100px; background: red' }],
    ['height', { height: 'calc(1px + 2px)' }],
    ['files', { files: '{"Dockerfile": 1}' }],
    ['files', { files: '["FROM busybox"]' }],
    ['files', { files: '{not json' }],
    ['fileName', { files: '{"../../etc/passwd": "x"}' }],
    ['server', { server: 'javascript:alert(1)' }],
    ['server', { server: 'https://user:pw@sandbox.example' }],
    ['server', { server: 'not a url' }],
    ['goal', { goal: '{"kind": "containers", "nmae": "c1"}' }],
    ['goal', { goal: 'c1 exists' }],
  ] as const)('refuses a wrong %s (%j) with the problem named', (kind, attrs) => {
    expect(kinds(parse('playground', attrs))).toEqual([kind]);
  });

  it("words a wrong goal's problem so its author can fix it: where, and what was expected", () => {
    const r = parse('playground', { goal: '{"kind": "containers", "name": ""}' });
    expect(r.ok ? [] : r.problems).toEqual([{ kind: 'goal', params: { message: 'name: Too small: expected string to have >=1 characters' } }]);
  });

  it('says every problem at once, and which language to say it in when lang is right', () => {
    const r = parse('playground', { lang: 'ko', theme: 'x', height: 'tall' });
    expect(r).toMatchObject({ ok: false, lang: 'ko' });
    expect(kinds(r)).toEqual(['theme', 'height']);
    expect(parse('playground', { lang: 'xx', theme: 'x' })).toMatchObject({ ok: false, lang: undefined });
  });

  it('a picture needs commands (it draws what they make), a playground does not', () => {
    expect(kinds(parse('picture', { commands: '# nothing\n' }))).toEqual(['commands']);
    expect(parse('playground', {}).ok).toBe(true);
  });

  it('a picture has no terminal', () => {
    expect(kinds(parse('picture', { commands: 'docker images', view: 'terminal' }))).toEqual(['view']);
  });

  it('a child file wins over the attribute of the same name', () => {
    const r = parse('playground', { files: '{"Dockerfile": "FROM scratch\\n", "a.txt": "a"}' }, [{ name: 'Dockerfile', text: 'FROM busybox\n' }]);
    expect(r.ok && r.options.files).toEqual({ Dockerfile: 'FROM busybox\n', 'a.txt': 'a' });
  });

  it('takes a sandbox server address without its trailing slash, and a goal the lessons can check', () => {
    const r = parse('playground', { server: 'https://sandbox.example/', goal: '{"kind": "containers", "name": "c1"}' });
    expect(r.ok && [r.options.server, r.options.goal]).toEqual(['https://sandbox.example', { kind: 'containers', name: 'c1' }]);
  });

  it('a lesson by its id, one step by number or id; a wrong or missing lesson or step is said', () => {
    const r = parse('lesson', { lesson: '05-images', step: ' 3 ' });
    expect(r.ok && r.options.lesson).toEqual({ id: '05-images', step: '3' });
    expect(r.ok && r.options.view).toEqual(['terminal', 'graph']);
    expect(parse('lesson', { lesson: '05-images', step: 'edit-config' }).ok).toBe(true);
    expect(parse('lesson', { lesson: '05-images' })).toMatchObject({ ok: true, options: { lesson: { id: '05-images', step: undefined } } });
    expect(kinds(parse('lesson', {}))).toEqual(['lesson']);
    expect(kinds(parse('lesson', { lesson: '../05-images' }))).toEqual(['lesson']);
    expect(kinds(parse('lesson', { lesson: '05-images', step: '0' }))).toEqual(['step']);
    expect(kinds(parse('lesson', { lesson: '05-images', step: 'Step 3' }))).toEqual(['step']);
    // The other elements take no lesson.
    expect(parse('playground', { lesson: '05-images' })).toMatchObject({ ok: true, options: { lesson: undefined } });
  });

  it('editor alone opens the Dockerfile, a value names the file; left out, there is no editor', () => {
    const editor = (attrs: Record<string, string>) => {
      const r = parse('playground', attrs);
      return r.ok ? r.options.editor : kinds(r);
    };
    expect(editor({})).toBeUndefined();
    expect(editor({ editor: '' })).toBe('Dockerfile');
    expect(editor({ editor: ' ' })).toBe('Dockerfile');
    expect(editor({ editor: './app/Dockerfile.dev' })).toBe('app/Dockerfile.dev');
    // A hostile name never reaches the editor's models or the workspace.
    expect(editor({ editor: '../../etc/passwd' })).toEqual(['editor']);
    expect(editor({ editor: 'a\0b' })).toEqual(['editor']);
    expect(editor({ editor: '/' })).toEqual(['editor']);
    expect(editor({ editor: 'x/..' })).toEqual(['editor']);
    const refused = parse('playground', { editor: '../x' });
    expect(!refused.ok && refused.problems[0]!.params).toEqual({
      value: '../x',
      message: 'invalid output path "../x": it must name a file in the workspace',
    });
  });

  it('only the playground has an editor', () => {
    expect(kinds(parse('picture', { commands: 'docker images', editor: '' }))).toEqual(['editorOnly']);
    expect(kinds(parse('lesson', { lesson: '05-images', editor: 'Dockerfile' }))).toEqual(['editorOnly']);
  });
});
