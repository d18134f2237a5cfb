import { describe, expect, it } from 'vitest';
import { embedLessonData, LESSON_PANEL_KEYS } from '../../src/embed/embed-lesson.js';
import { lessonStart } from '../../src/embed/lesson-start.js';
import { catalog } from '../../src/i18n/index.js';
import { readStartingFiles } from '../../src/lessons/read-starting-files.js';
import { stepTitles } from '../../src/lessons/step-titles.js';
import { lessonFiles, lessons } from '../lessons/lesson-files.js';

/** What `/en/embed/lessons/05-images.json` holds, made as the site's endpoint makes it. */
function images() {
  const lesson = lessons('en').find((l) => l.id === '05-images')!;
  const body = lessonFiles().find((f) => f.locale === 'en' && f.folder === '05-images')!.body;
  const labels = Object.fromEntries(LESSON_PANEL_KEYS.map((k) => [k, catalog('en')[k]]));
  return embedLessonData(lesson, 'en', stepTitles(body), readStartingFiles(lesson.path), labels);
}

describe("<layerlab-lesson>'s lesson data and where it starts", () => {
  it("carries the lesson page's steps — titles from the text, goals, hints, solutions — its files and the panel's strings", () => {
    const data = images();
    expect(data.path).toBe('en/lessons/05-images/');
    expect(data.editorTag).toBe('greet:3');
    expect(data.steps.map((s) => s.id)).toEqual(['build', 'run-it', 'second-image', 'remove-first', 'edit-config']);
    expect(data.steps[0]!.title).not.toBe('build');
    expect(data.steps[0]!.solution[0]).toBe('docker build -t greet:1 .');
    expect(data.startingFiles.map((f) => f.path)).toEqual(['Dockerfile', 'bye.txt', 'hello.txt', 'v2.Dockerfile']);
    expect(data.labels['lesson.stepDone']).toBe('Step done: {title}');
    // The near misses' commands are CI's, not the widget's.
    expect(JSON.stringify(data.challenge?.nearMisses ?? [])).not.toContain('"commands"');
  });

  it('the whole lesson: every step, its files as they start, the challenge, nothing run before', () => {
    const data = images();
    const start = lessonStart(data, undefined);
    if (!('steps' in start)) throw new Error(start.kind);
    expect(start.steps).toHaveLength(5);
    expect(start.before).toEqual([]);
    expect(start.files.Dockerfile).toContain('COPY hello.txt');
    expect(start.challenge).toEqual(data.challenge);
  });

  it("one step, by number or by id: the earlier steps' solutions run first, their files and edits are in place", () => {
    const data = images();
    const byNumber = lessonStart(data, '5');
    const byId = lessonStart(data, 'edit-config');
    expect(byId).toEqual(byNumber);
    if (!('steps' in byNumber)) throw new Error(byNumber.kind);
    expect(byNumber.steps.map((s) => s.id)).toEqual(['edit-config']);
    expect(byNumber.first).toBe(4);
    expect(byNumber.before).toEqual(data.steps.slice(0, 4).flatMap((s) => s.solution));
    expect(byNumber.challenge).toBeUndefined();
    const third = lessonStart(data, '3');
    if (!('steps' in third)) throw new Error(third.kind);
    expect(third.before).toEqual([
      'docker build -t greet:1 .',
      'docker history greet:1',
      "docker image inspect -f '{{len .RootFS.Layers}}' greet:1",
      'docker run --name greeter greet:1',
      "docker image inspect -f '{{json .Config.Cmd}}' greet:1",
    ]);
  });

  it('a step the lesson does not have is a problem to show, with how many it has', () => {
    const data = images();
    expect(lessonStart(data, '6')).toEqual({ kind: 'noStep', params: { value: '6', total: '5' } });
    expect(lessonStart(data, 'no-such')).toEqual({ kind: 'noStep', params: { value: 'no-such', total: '5' } });
  });
});
