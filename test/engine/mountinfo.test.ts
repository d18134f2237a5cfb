import { describe, expect, it } from 'vitest';
import { findMountInfoLine, parseMountInfoLine } from '../../src/engine/format/mountinfo.js';

describe('mountinfo lines (proc(5))', () => {
  it('reads the fields past the optional ones, and octal escapes in paths', () => {
    expect(parseMountInfoLine('36 35 98:0 /mnt1 /mnt\\0402 rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue')).toEqual({
      mountPoint: '/mnt 2',
      mountOptions: ['rw', 'noatime'],
      fsType: 'ext3',
      source: '/dev/root',
      superOptions: ['rw', 'errors=continue'],
    });
    expect(parseMountInfoLine('not a line')).toBeNull();
  });

  it('finds the last mount over a point: the one that hides the others', () => {
    const info = [
      '20 1 0:1 / / rw - tmpfs tmpfs rw',
      '72 20 0:39 / / rw,relatime - overlay overlay rw,lowerdir=/a,upperdir=/u,workdir=/w',
      '73 72 0:40 / /proc rw - proc proc rw',
    ].join('\n');
    expect(findMountInfoLine(info, '/')).toBe('72 20 0:39 / / rw,relatime - overlay overlay rw,lowerdir=/a,upperdir=/u,workdir=/w');
    expect(findMountInfoLine(info, '/sys')).toBeNull();
  });
});
