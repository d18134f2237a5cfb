import { describe, expect, it } from 'vitest';
import { BOLD, INVERSE, PLAIN, withBg, withFg } from '../../src/client/vt/attrs.js';
import { STYLES_KEPT, styleOf, stylesKept } from '../../src/client/vt/render.js';

describe('styleOf: how a cell looks', () => {
  it("draws the terminal's own colours as nothing, a palette colour and flags as CSS, inverse on the defaults as the swapped variables", () => {
    expect(styleOf(PLAIN)).toEqual([]);
    expect(styleOf(withFg(PLAIN, 1) | BOLD)).toEqual([
      ['color', '#cc0000'],
      ['font-weight', 'bold'],
    ]);
    expect(styleOf(PLAIN | INVERSE)).toEqual([
      ['color', 'var(--vt-bg)'],
      ['background', 'var(--vt-fg)'],
    ]);
  });

  it('remembers a bounded number of looks, however many a program goes through', () => {
    for (let fg = 0; fg < 256; fg++) for (let bg = 0; bg < 16; bg++) styleOf(withBg(withFg(PLAIN, fg), bg));
    expect(stylesKept()).toBeLessThanOrEqual(STYLES_KEPT);
    expect(styleOf(withBg(withFg(PLAIN, 255), 15))).toEqual([
      ['color', 'rgb(238,238,238)'],
      ['background', '#eeeeec'],
    ]);
  });
});
