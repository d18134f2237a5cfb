import { describe, expect, it } from 'vitest';
import { lazy } from '../../src/engine/lazy.js';

describe('lazy', () => {
  it('makes its value on first use, once, and keeps it (undefined too)', () => {
    let made = 0;
    const value = lazy(() => ({ n: ++made }));
    expect(made).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(made).toBe(1);
    let none = 0;
    const nothing = lazy(() => void none++);
    expect([nothing(), nothing(), none]).toEqual([undefined, undefined, 1]);
  });
  it('tries again when making it threw', () => {
    let tries = 0;
    const value = lazy(() => {
      if (++tries === 1) throw new Error('first');
      return tries;
    });
    expect(() => value()).toThrow('first');
    expect([value(), value()]).toEqual([2, 2]);
  });
});
