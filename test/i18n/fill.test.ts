import { describe, expect, it } from 'vitest';
import { format } from '../../src/client/labels.js';
import { fill } from '../../src/i18n/fill.js';
import { t } from '../../src/i18n/index.js';

describe('{name} placeholders: one fill for the catalogs, the islands and the pictures', () => {
  it('fills each placeholder with its parameter, numbers as written', () => {
    expect(fill('Layer {id}, {size}, {n} of {n}', { id: 'abc', size: '1kB', n: 2 })).toBe('Layer abc, 1kB, 2 of 2');
  });

  it('leaves a placeholder without a parameter as written, visible rather than blank', () => {
    expect(fill('{missing} and {id}', { id: 'x' })).toBe('{missing} and x');
    expect(fill('{not a name} {}', { 'not a name': 'y' })).toBe('{not a name} {}');
  });

  it("is what t() and an island's format() fill with", () => {
    expect(format({ hello: 'hi {who}' }, 'hello', { who: 'you' })).toBe('hi you');
    expect(format({}, 'no.such.key', { who: 'you' })).toBe('no.such.key');
    expect(t('en', 'lesson.step', { n: 2, total: 5 })).toBe('Step 2 of 5');
    expect(t('en', 'lesson.step', { n: 2 })).toBe('Step 2 of {total}');
  });
});
