import { describe, expect, it } from 'vitest';
import { dedent } from '../../src/embed/dedent.js';
import { parseEmbedOptions } from '../../src/embed/embed-options.js';
import { goalSchema } from '../../src/lessons/goal.js';
import { embedChoice, frameUrl, scriptSnippet, tagSnippet } from '../../src/embed/embed-snippet.js';

const choice = embedChoice(
  'layerlab-playground',
  [
    ['lang', 'ko'],
    ['view', 'terminal,tables'],
    ['commands', `docker build -t web .\ndocker run --name "w1" web sh -c 'echo a && echo <b>'`],
    ['run', ''],
    ['height', '24rem'],
  ],
  [['Dockerfile', 'FROM busybox\n\nRUN echo hi > /index.html\n']],
);

describe('the docs builder’s snippet', () => {
  it('writes each command on one line of the tag (newline as &#10;), quotes and markup escaped, empty options left out, files as indented children', () => {
    expect(scriptSnippet('https://layerlab.example', choice)).toMatchInlineSnapshot(`
      "<script type="module" src="https://layerlab.example/embed/v1/layerlab.js"></script>
      <layerlab-playground lang="ko" view="terminal,tables" commands="docker build -t web .&#10;docker run --name &quot;w1&quot; web sh -c 'echo a &amp;&amp; echo &lt;b&gt;'" height="24rem">
        <script type="text/plain" data-file="Dockerfile">
          FROM busybox

          RUN echo hi > /index.html
        </script>
      </layerlab-playground>"
    `);
  });

  it('reads back, as the widget reads a child file, to the file the author wrote', () => {
    const child = /<script type="text\/plain" data-file="Dockerfile">([\s\S]*?)<\/script>/.exec(tagSnippet(choice))![1]!;
    expect(dedent(child)).toBe('FROM busybox\n\nRUN echo hi > /index.html\n');
  });

  it('puts a file that would end its <script> child early into the files attribute instead', () => {
    const hostile = embedChoice(
      'layerlab-picture',
      [['commands', 'docker images']],
      [['page.html', '<p>x</p></SCRIPT><img src=x onerror=alert(1)>\n']],
    );
    const tag = tagSnippet(hostile);
    expect(tag).not.toMatch(/<script/i);
    expect(tag).toBe(
      '<layerlab-picture commands="docker images" files="{&quot;page.html&quot;:&quot;&lt;p&gt;x&lt;/p&gt;&lt;/SCRIPT&gt;&lt;img src=x onerror=alert(1)&gt;\\n&quot;}"></layerlab-picture>',
    );
  });

  it('gives the iframe the same options as query parameters, which the widget reads to the same options', () => {
    const url = new URL(frameUrl('https://layerlab.example', 'ko', choice));
    expect(url.pathname).toBe('/ko/embed/frame');
    const fromFrame = parseEmbedOptions('playground', { attr: (n) => url.searchParams.get(n), childFiles: [], pageLang: 'ko', goalSchema });
    const fromTag = parseEmbedOptions('playground', {
      attr: (n) => choice.attrs.find(([name]) => name === n)?.[1] ?? null,
      childFiles: choice.files.map(([name, text]) => ({ name, text })),
      pageLang: 'en',
      goalSchema,
    });
    expect(fromFrame.ok && fromTag.ok).toBe(true);
    expect(fromFrame).toEqual(fromTag);
    expect(
      new URL(frameUrl('https://l.example', 'en', embedChoice('layerlab-picture', [['commands', 'docker images']], []))).searchParams.get('element'),
    ).toBe('picture');
    const lesson = new URL(
      frameUrl(
        'https://l.example',
        'ko',
        embedChoice(
          'layerlab-lesson',
          [
            ['lesson', '05-images'],
            ['step', '3'],
          ],
          [],
        ),
      ),
    );
    expect([lesson.pathname, lesson.searchParams.get('element'), lesson.searchParams.get('lesson'), lesson.searchParams.get('step')]).toEqual([
      '/ko/embed/frame',
      'lesson',
      '05-images',
      '3',
    ]);
  });

  it('carries editor into the tag and the iframe, where the widget reads it back', () => {
    const withEditor = embedChoice('layerlab-playground', [['editor', 'Dockerfile']], [['Dockerfile', 'FROM busybox\n']]);
    expect(tagSnippet(withEditor).split('\n')[0]).toBe('<layerlab-playground editor="Dockerfile">');
    const url = new URL(frameUrl('https://l.example', 'en', withEditor));
    const read = parseEmbedOptions('playground', { attr: (n) => url.searchParams.get(n), childFiles: [], pageLang: 'en' });
    expect(read.ok && [read.options.editor, read.options.files]).toEqual(['Dockerfile', { Dockerfile: 'FROM busybox\n' }]);
  });
});
