import { describe, expect, it } from 'vitest';
import { processWord, processWords } from '../../../src/engine/builder/shell-lex.js';

const vars = new Map([
  ['A', 'one'],
  ['EMPTY', ''],
]);

describe('Docker word processing', () => {
  it('expands variables and removes quotes', () => {
    expect(processWord('$A-${A}', vars)).toBe('one-one');
    expect(processWord('"two words $A"', vars)).toBe('two words one');
    expect(processWord("'$A'", vars)).toBe('$A');
    expect(processWord('\\$A', vars)).toBe('$A');
    expect(processWord('$NOPE', vars)).toBe('');
  });

  it('supports the :- :+ - + modifiers', () => {
    expect(processWord('${NOPE:-dflt}', vars)).toBe('dflt');
    expect(processWord('${EMPTY:-dflt}', vars)).toBe('dflt');
    expect(processWord('${EMPTY-dflt}', vars)).toBe('');
    expect(processWord('${A:+set}', vars)).toBe('set');
    expect(processWord('${NOPE+set}', vars)).toBe('');
    expect(() => processWord('${NOPE:?needed}', vars)).toThrow(/NOPE: needed/);
  });

  it('splits on unquoted whitespace only', () => {
    expect(processWords('80 "a b" $A', vars)).toEqual(['80', 'a b', 'one']);
  });

  it('honours the escape directive', () => {
    expect(processWord('C:`$A', vars, { escape: '`' })).toBe('C:$A');
  });
});
