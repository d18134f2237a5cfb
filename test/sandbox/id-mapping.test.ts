import { describe, expect, it } from 'vitest';
import { InvalidLayer } from '../../src/engine/errors.js';
import type { Change } from '../../src/engine/layer/change.js';
import { changesToContainer, changesToHost, ociIdMappings, userNamespaceSetting } from '../../sandbox-server/linux/id-mapping.js';

const ids = { start: 100000, size: 65536 };

describe("LAYERLAB_USERNS: the server's user namespace", () => {
  it('is 100000:65536 when unset, another START:SIZE when set, and none when off', () => {
    expect(userNamespaceSetting(undefined)).toEqual(ids);
    expect(userNamespaceSetting(' 200000:1000 ')).toEqual({ start: 200000, size: 1000 });
    expect(userNamespaceSetting('off')).toBeUndefined();
  });

  it('refuses a range that holds host root, runs past 32 bits, or is not START:SIZE', () => {
    for (const bad of ['0:65536', '100000:0', '4294967200:1000', '100000', 'on', '-1:5', ''])
      expect(() => userNamespaceSetting(bad), bad).toThrow(/LAYERLAB_USERNS/);
  });

  it('writes one range for uids and one for gids into the OCI spec', () => {
    expect(ociIdMappings(ids)).toEqual({
      uidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
      gidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
    });
  });
});

describe('layer entries across the user namespace (moby idtools)', () => {
  const file = (uid: number, gid: number): Change => ({
    kind: 'file',
    path: '/f',
    mode: 0o644,
    uid,
    gid,
    content: { type: 'bytes', bytes: new Uint8Array() },
  });

  it('shifts owners up onto the host and back, whiteouts untouched', () => {
    const entries: Change[] = [file(0, 0), { kind: 'dir', path: '/home', mode: 0o755, uid: 65534, gid: 65534 }, { kind: 'whiteout', path: '/gone' }];
    const host = changesToHost(entries, ids);
    expect(host.map((c) => (c.kind === 'whiteout' ? c.path : [c.uid, c.gid]))).toEqual([[100000, 100000], [165534, 165534], '/gone']);
    expect(changesToContainer([...host], ids)).toEqual(entries);
    expect(changesToHost(entries, undefined)).toBe(entries);
  });

  it("refuses ids the range cannot map, with moby's words, both ways", () => {
    expect(() => changesToHost([file(65536, 0)], ids)).toThrow(InvalidLayer);
    expect(() => changesToHost([file(65536, 0)], ids)).toThrow('Container ID 65536 cannot be mapped to a host ID');
    expect(() => changesToHost([file(0, 70000)], ids)).toThrow('Container ID 70000 cannot be mapped to a host ID');
    expect(() => changesToContainer([file(0, 0)], ids)).toThrow('Host ID 0 cannot be mapped to a container ID');
    expect(() => changesToContainer([file(165536, 100000)], ids)).toThrow('Host ID 165536 cannot be mapped to a container ID');
  });
});
