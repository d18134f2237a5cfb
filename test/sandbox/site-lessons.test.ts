import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteLessons } from '../../sandbox-server/workshops/site-lessons.js';

describe('the lessons a workshop may list', () => {
  it("are the site's lesson folders", () => {
    const lessons = siteLessons('content/lessons')!;
    expect(lessons.has('04-layers')).toBe(true);
    expect(lessons.has('01-what-is-docker')).toBe(true);
  });

  it('are only those in both locales, and unknown without the sources', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-lessons-'));
    try {
      for (const path of ['en/01-a', 'en/02-b', 'ko/01-a', 'ko/03-c']) mkdirSync(join(dir, path), { recursive: true });
      expect([...siteLessons(dir)!]).toEqual(['01-a']);
      expect(siteLessons(join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
