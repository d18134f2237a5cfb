import { describe, expect, it } from 'vitest';
import { createProgressStore, PROGRESS_KEY, type KeyValueStorage } from '../../src/lessons/progress.store.js';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}
const at = (iso: string) => () => new Date(iso);

describe('progress store', () => {
  it('keeps completed steps per lesson id, once each, and tells subscribers', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage, at('2025-01-02T03:04:05Z'));
    let changes = 0;
    const off = store.subscribe(() => changes++);
    store.completeStep('06-containers', 'run-web');
    store.completeStep('06-containers', 'run-web');
    store.completeStep('06-containers', 'write-file');
    off();
    store.completeStep('01-what-is-docker', 'hello');
    expect(store.lesson('06-containers')).toEqual({ completedSteps: ['run-web', 'write-file'], updatedAt: '2025-01-02T03:04:05.000Z' });
    expect(changes).toBe(2);
    expect(createProgressStore(storage).lesson('01-what-is-docker').completedSteps).toEqual(['hello']);
  });

  it('survives a corrupt or foreign entry in storage', () => {
    for (const raw of ['{not json', '{"format":"other"}']) {
      const store = createProgressStore(memoryStorage({ [PROGRESS_KEY]: raw }));
      expect(store.lesson('x').completedSteps).toEqual([]);
      store.completeStep('x', 'a');
      expect(store.lesson('x').completedSteps).toEqual(['a']);
    }
  });

  it('exports a file that imports elsewhere, merging with what is there', () => {
    const a = createProgressStore(memoryStorage(), at('2025-01-01T00:00:00Z'));
    a.completeStep('06-containers', 'run-web');
    a.completeStep('01-what-is-docker', 'hello');
    const b = createProgressStore(memoryStorage(), at('2025-02-01T00:00:00Z'));
    b.completeStep('06-containers', 'write-file');
    b.importJson(a.exportJson());
    expect(b.lesson('06-containers')).toEqual({ completedSteps: ['write-file', 'run-web'], updatedAt: '2025-02-01T00:00:00.000Z' });
    expect(b.lesson('01-what-is-docker').completedSteps).toEqual(['hello']);
  });

  it('refuses a file that is not a progress export, and leaves progress alone', () => {
    const store = createProgressStore(memoryStorage());
    store.completeStep('06-containers', 'run-web');
    expect(() => store.importJson('{"lessons":{}}')).toThrow();
    expect(() => store.importJson('nope')).toThrow();
    expect(store.lesson('06-containers').completedSteps).toEqual(['run-web']);
  });

  it('resets one lesson', () => {
    const store = createProgressStore(memoryStorage());
    store.completeStep('06-containers', 'run-web');
    store.completeStep('01-what-is-docker', 'hello');
    store.resetLesson('06-containers');
    expect(store.lesson('06-containers').completedSteps).toEqual([]);
    expect(store.lesson('01-what-is-docker').completedSteps).toEqual(['hello']);
  });

  it('keeps guesses, quiz answers, hints opened and the challenge done, with the steps', () => {
    const storage = memoryStorage();
    const store = createProgressStore(storage, at('2025-03-01T00:00:00Z'));
    store.predict('08-build-cache', 'rebuild', { choice: 2 });
    store.predict('05-images', 'size', { typed: '4 MB' });
    store.answerQuiz('08-build-cache', 'cache-key', 1);
    store.answerQuiz('08-build-cache', 'cache-key', 0);
    store.revealHints('08-build-cache', 2);
    store.revealHints('08-build-cache', 1);
    store.completeChallenge('08-build-cache');
    store.completeStep('08-build-cache', 'build');
    expect(createProgressStore(storage).lesson('08-build-cache')).toEqual({
      completedSteps: ['build'],
      updatedAt: '2025-03-01T00:00:00.000Z',
      predictions: { rebuild: { choice: 2 } },
      quiz: { 'cache-key': 0 },
      hints: 2,
      challengeDone: true,
    });
    expect(store.lesson('05-images').predictions).toEqual({ size: { typed: '4 MB' } });
    store.resetLesson('08-build-cache');
    expect(store.lesson('08-build-cache')).toEqual({ completedSteps: [], updatedAt: '' });
  });

  it('reads progress saved before guesses, quizzes and challenges existed, and adds to it', () => {
    const old = {
      format: 'layerlab-progress',
      version: 1,
      lessons: { '06-containers': { completedSteps: ['run-web'], updatedAt: '2024-12-01T00:00:00.000Z' } },
    };
    const store = createProgressStore(memoryStorage({ [PROGRESS_KEY]: JSON.stringify(old) }), at('2025-01-01T00:00:00Z'));
    expect(store.lesson('06-containers').completedSteps).toEqual(['run-web']);
    store.answerQuiz('06-containers', 'pid-1', 2);
    expect(store.lesson('06-containers')).toEqual({ completedSteps: ['run-web'], updatedAt: '2025-01-01T00:00:00.000Z', quiz: { 'pid-1': 2 } });
    const importer = createProgressStore(memoryStorage());
    importer.importJson(JSON.stringify(old));
    expect(importer.lesson('06-containers').completedSteps).toEqual(['run-web']);
  });

  it('merges an imported file: our answers win, hints opened are the most of both, a challenge done stays done', () => {
    const a = createProgressStore(memoryStorage(), at('2025-01-01T00:00:00Z'));
    a.answerQuiz('08-build-cache', 'q1', 1);
    a.answerQuiz('08-build-cache', 'q2', 1);
    a.revealHints('08-build-cache', 3);
    a.completeChallenge('08-build-cache');
    const b = createProgressStore(memoryStorage(), at('2025-02-01T00:00:00Z'));
    b.answerQuiz('08-build-cache', 'q1', 0);
    b.revealHints('08-build-cache', 1);
    b.importJson(a.exportJson());
    expect(b.lesson('08-build-cache')).toMatchObject({ quiz: { q1: 0, q2: 1 }, hints: 3, challengeDone: true });
  });
});
