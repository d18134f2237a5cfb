import { describe, expect, it } from 'vitest';
import { AmbiguousContainer, ContainerNameConflict, ContainerStateError, NoSuchContainer } from '../../../src/engine/containers/container-errors.js';
import type { ContainerRecord } from '../../../src/engine/containers/container-record.js';
import { ContainerTable } from '../../../src/engine/containers/container-table.js';

/** Only what the table reads of a record. */
function aContainer(id: string, name: string, created = 0): ContainerRecord {
  return { id, name, created } as ContainerRecord;
}

function tableOf(...cs: ContainerRecord[]): ContainerTable {
  const t = new ContainerTable();
  for (const c of cs) t.add(c);
  return t;
}

const A = `abc1${'0'.repeat(60)}`;
const B = `abc2${'0'.repeat(60)}`;

describe("Docker's container lookup", () => {
  it("takes a full ID, then an exact name (with or without the API's /), then a unique ID prefix", () => {
    // A name that reads as the other's prefix: the name wins, as on Docker.
    const t = tableOf(aContainer(A, 'web'), aContainer(B, 'abc1'));
    expect(t.get(A).name).toBe('web');
    expect(t.get('/web').id).toBe(A);
    expect(t.get('abc1').id).toBe(B);
    expect(t.get('abc2').id).toBe(B);
  });

  it("refuses a prefix two IDs share, and a name no container has, in Docker's words", () => {
    const t = tableOf(aContainer(A, 'one'), aContainer(B, 'two'));
    expect(() => t.get('abc')).toThrow(AmbiguousContainer);
    expect(() => t.get('abc')).toThrow('Multiple IDs found with provided prefix: abc');
    expect(() => t.get('nope')).toThrow(NoSuchContainer);
  });

  it('lists newest first, creation order breaking ties', () => {
    const t = tableOf(aContainer(A, 'old', 1), aContainer(B, 'tie-first', 2), aContainer(`c${A.slice(1)}`, 'tie-second', 2));
    expect(t.list().map((c) => c.name)).toEqual(['tie-second', 'tie-first', 'old']);
  });

  it("checks --name as Docker does: its pattern, a leading / dropped, no other container's", () => {
    const t = tableOf(aContainer(A, 'web'));
    expect(t.checkName('/api')).toBe('api');
    expect(() => t.checkName('-bad')).toThrow(ContainerStateError);
    expect(() => t.checkName('/web')).toThrow(ContainerNameConflict);
  });

  it('draws an ID again when its short form would read as a number', () => {
    const digits = [...'123456789012'].map((d) => Number(d) / 16);
    const draws = [...digits, ...Array(52).fill(0), ...Array(64).fill(10 / 16)];
    const id = new ContainerTable().newId(() => draws.shift()!);
    expect(id).toBe('a'.repeat(64));
  });
});
