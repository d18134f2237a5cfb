import { describe, expect, it } from 'vitest';
import { namespaceTable } from '../../src/components/namespace-rows.js';

describe('the "under the hood" namespace table', () => {
  it("marks each namespace its own, the host's, or unknown, and lists which are which", () => {
    const table = namespaceTable([
      { type: 'pid', inode: 4026532301, hostInode: 4026531836 },
      { type: 'net', inode: 4026532304, hostInode: 4026531833 },
      { type: 'cgroup', inode: 4026531835, hostInode: 4026531835 },
      { type: 'user', inode: 4026531837, hostInode: 4026531837 },
      { type: 'uts', inode: 4026532299, hostInode: null },
    ]);
    expect(table.rows).toEqual([
      { type: 'pid', inode: 4026532301, link: 'pid:[4026532301]', sharing: 'own' },
      { type: 'net', inode: 4026532304, link: 'net:[4026532304]', sharing: 'own' },
      { type: 'cgroup', inode: 4026531835, link: 'cgroup:[4026531835]', sharing: 'host' },
      { type: 'user', inode: 4026531837, link: 'user:[4026531837]', sharing: 'host' },
      { type: 'uts', inode: 4026532299, link: 'uts:[4026532299]', sharing: 'unknown' },
    ]);
    expect(table.own).toEqual(['pid', 'net']);
    expect(table.shared).toEqual(['cgroup', 'user']);
  });

  it('has no rows for no namespaces', () => {
    expect(namespaceTable([])).toEqual({ rows: [], own: [], shared: [] });
  });
});
