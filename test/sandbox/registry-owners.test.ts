import { describe, expect, it } from 'vitest';
import { ownerless } from '../../sandbox-server/linux/registry-cleanup.js';
import { sessionPrefix, workshopPrefix } from '../../sandbox-server/linux/registry-names.js';

describe("the registry sweep's owners (registry-cleanup.ts ownerless)", () => {
  const live = sessionPrefix('live');
  const existing = workshopPrefix('existing');

  it('takes a session namespace nobody lives in and a class namespace of no workshop', () => {
    const owners = { sessions: new Set([live]), workshops: new Set([existing]) };
    expect(ownerless(sessionPrefix('ended'), owners)).toBe(true);
    expect(ownerless(workshopPrefix('deleted'), owners)).toBe(true);
    expect(ownerless(live, owners)).toBe(false);
    expect(ownerless(existing, owners)).toBe(false);
  });

  it('never takes the seeds, a name that only looks like a prefix, or a class namespace when the workshops are not known', () => {
    const owners = { sessions: new Set<string>(), workshops: new Set<string>() };
    for (const name of ['seed', 'busybox', 's-', `${sessionPrefix('x')}0`, `S${sessionPrefix('x').slice(1)}`, 'w-0123', `${workshopPrefix('x')}/a`])
      expect(ownerless(name, owners), name).toBe(false);
    expect(ownerless(workshopPrefix('deleted'), { sessions: new Set() })).toBe(false);
    expect(ownerless(sessionPrefix('ended'), { sessions: new Set() })).toBe(true);
  });
});
