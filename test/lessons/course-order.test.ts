import { describe, expect, it } from 'vitest';
import { inCourseOrder, withNextInCourse } from '../../src/lessons/course-order.js';
import { lessonSchema } from '../../src/lessons/lesson.schema.js';
import { locales } from '../../src/i18n/index.js';
import { lessonFiles } from './lesson-files.js';

const entry = (id: string, order: number) => ({ id, data: { order } });

/** Each locale's lessons as the site orders them, by the same function its pages use. */
function course(locale: string) {
  const entries = lessonFiles()
    .filter((f) => f.locale === locale)
    .map((f) => ({ id: f.folder, body: f.body, data: lessonSchema.parse(f.frontmatter) }));
  return withNextInCourse(entries);
}

describe('the course order', () => {
  it('follows front matter order, not the id: a lesson that moved keeps its id and gets its new place and next', () => {
    const moved = [entry('07-whiteouts', 9), entry('09-lifecycle', 7), entry('13-volumes', 8), entry('06-containers', 6)];
    expect(inCourseOrder(moved).map((e) => e.id)).toEqual(['06-containers', '09-lifecycle', '13-volumes', '07-whiteouts']);
    expect(withNextInCourse(moved).map(({ lesson, next }) => `${lesson.id} → ${next?.id ?? '-'}`)).toEqual([
      '06-containers → 09-lifecycle',
      '09-lifecycle → 13-volumes',
      '13-volumes → 07-whiteouts',
      '07-whiteouts → -',
    ]);
  });

  it('ramps up: containers and their lifecycle before the build cache and commit, volumes right after the lifecycle, the capstone last, the same in ko and en', () => {
    for (const locale of locales) {
      const ids = course(locale).map(({ lesson }) => lesson.id);
      expect(ids, locale).toEqual([
        '01-what-is-docker',
        '02-why-containers',
        '03-vm-vs-container',
        '04-layers',
        '05-images',
        '06-containers',
        '09-lifecycle',
        '13-volumes',
        '07-whiteouts',
        '08-build-cache',
        '10-commit',
        '12-registry',
        '11-under-the-hood',
        '14-capstone',
      ]);
    }
  });

  it("a lesson's own “next lesson” link in its text names the lesson that comes next in the course", () => {
    const stale: string[] = [];
    for (const locale of locales) {
      for (const { lesson, next } of course(locale)) {
        for (const [, target] of lesson.body.matchAll(/\[(?:the next lesson|다음 레슨)[^\]]*\]\(\/(?:ko|en)\/lessons\/([^/)]+)\/?\)/g)) {
          if (target !== next?.id) stale.push(`${locale}/${lesson.id} links to ${target}, but ${next?.id ?? 'nothing'} comes next`);
        }
      }
    }
    expect(stale).toEqual([]);
  });
});
