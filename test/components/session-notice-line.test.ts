import { describe, expect, it } from 'vitest';
import { REPLACED_NOTICE_LINES } from '../../src/components/session-notice-line.js';
import { t } from '../../src/i18n/index.js';

describe("the terminal's line when the page's engine was replaced", () => {
  it("after an instructor's reset says, in both locales, who reset it, that progress is kept and the steps run again", () => {
    const line = REPLACED_NOTICE_LINES.resetByInstructor;
    expect(line.replays).toBe(true);
    const en = t('en', line.key);
    expect(en).toMatch(/^Your instructor reset your sandbox\./);
    expect(en).toContain('progress is kept');
    expect(en).toContain('run again');
    const ko = t('ko', line.key);
    expect(ko).toMatch(/^강사가/);
    expect(ko).toContain('진행 상황은 그대로');
    expect(ko).toContain('다시 실행');
    // Not the renewal's words: the session did not end by itself.
    for (const locale of ['en', 'ko'] as const) expect(t(locale, line.key)).not.toBe(t(locale, REPLACED_NOTICE_LINES.renewed.key));
  });

  it('a reset the learner asked for starts empty; every other replacement restores what they had', () => {
    expect(Object.entries(REPLACED_NOTICE_LINES).map(([kind, line]) => [kind, line.replays])).toEqual([
      ['renewed', true],
      ['simulator', true],
      ['reset', false],
      ['resetByInstructor', true],
    ]);
  });
});
