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
});
