import { describe, expect, it } from 'vitest';
import { cutNote } from '../../src/client/output-note.js';
import en from '../../src/i18n/en.json' with { type: 'json' };
import ko from '../../src/i18n/ko.json' with { type: 'json' };

describe('cutNote', () => {
  it("says how many lines the page did not show, in the learner's language", () => {
    const cut = { cut: { lines: 118_776, chars: 780_000 }, cutUpstream: false };
    expect(cutNote(en, cut)).toMatch(/^Output cut here: 118,776 more lines \(762 KiB\)/);
    expect(cutNote(ko, cut)).toMatch(/^출력을 여기서 잘랐어요: .*118,776줄\(762 KiB\)/);
    expect(cutNote(en, cut)).not.toContain('sandbox');
  });

  it('adds that the sandbox stopped the command at its cap, also when the page showed all it got', () => {
    expect(cutNote(en, { cut: { lines: 1, chars: 3 }, cutUpstream: true })).toMatch(
      /^Output cut here: 1 more lines \(3 B\).* The sandbox stopped this command/,
    );
    expect(cutNote(ko, { cut: { lines: 0, chars: 0 }, cutUpstream: true })).toBe(ko['terminal.outputStopped']);
  });
});
