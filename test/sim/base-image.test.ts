import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSYBOX_GROUP, BUSYBOX_PASSWD, busyboxRootfs } from '../../src/engine/base-image/busybox.js';
import { sha256 } from '../../src/engine/digest.js';
import { ExternalContent } from '../../src/engine/errors.js';
import { byPath, type Change } from '../../src/engine/layer/change.js';
import { layerOf, layerSize, readLayerTar, writeLayerTar } from '../../src/engine/layer/tar.js';
import { busyboxImageMeta, simBusyboxLayer } from '../../src/sim/base-image/index.js';
import { bytes } from '../support/builders.js';

const fakeBinary = { type: 'bytes' as const, bytes: bytes('\x7fELF fake busybox') };
const applets = ['bin/busybox', 'bin/sh', 'bin/ls', 'sbin/init', 'usr/bin/[', 'usr/bin/env', 'usr/sbin/chroot', 'linuxrc'];

function entry(changes: readonly Change[], path: string): Change | undefined {
  return changes.find((c) => c.path === path);
}

describe('busybox rootfs recipe', () => {
  const changes = busyboxRootfs({ appletPaths: applets, binary: fakeBinary });

  it("has the official image's dirs, with /root private, /tmp sticky and homes owned by their accounts", () => {
    const dirs = changes.filter((c) => c.kind === 'dir').map((c) => c.kind === 'dir' && [c.path, c.mode.toString(8), c.uid]);
    expect(dirs).toEqual([
      ['/bin', '755', 0],
      ['/dev', '755', 0],
      ['/etc', '755', 0],
      ['/home', '755', 65534],
      ['/proc', '755', 0],
      ['/root', '700', 0],
      ['/sys', '755', 0],
      ['/tmp', '1777', 0],
      ['/usr', '755', 0],
      ['/usr/sbin', '755', 0],
      ['/var', '755', 0],
      ['/var/spool', '755', 0],
      ['/var/spool/mail', '755', 8],
      ['/var/www', '755', 33],
    ]);
  });

  it('installs the binary as /bin/busybox 0755 and every other applet beside it in /bin, as a symlink to it (busybox --install /bin)', () => {
    expect(entry(changes, '/bin/busybox')).toEqual({ kind: 'file', path: '/bin/busybox', mode: 0o755, uid: 0, gid: 0, content: fakeBinary });
    for (const name of ['sh', 'ls', 'init', '[', 'env', 'chroot', 'linuxrc']) {
      expect(entry(changes, `/bin/${name}`)).toEqual({ kind: 'symlink', path: `/bin/${name}`, mode: 0o777, uid: 0, gid: 0, target: '/bin/busybox' });
    }
    // Docker Hub's busybox has no /sbin, no /usr/bin and nothing at the root but dirs.
    expect(changes.filter((c) => !c.path.startsWith('/bin/') && c.kind !== 'dir').map((c) => c.path)).toEqual(['/etc/group', '/etc/passwd']);
  });

  it("has buildroot's accounts and groups, and no /etc/hostname", () => {
    const passwd = entry(changes, '/etc/passwd');
    expect(passwd).toMatchObject({ kind: 'file', mode: 0o644, content: { type: 'bytes', bytes: bytes(BUSYBOX_PASSWD) } });
    expect(
      BUSYBOX_PASSWD.split('\n')
        .filter(Boolean)
        .map((l) => l.split(':')[0]),
    ).toEqual(['root', 'daemon', 'bin', 'sys', 'sync', 'mail', 'www-data', 'operator', 'nobody']);
    expect(BUSYBOX_PASSWD).toMatch(/^root:x:0:0:root:\/root:\/bin\/sh\n/);
    expect(entry(changes, '/etc/group')).toMatchObject({ kind: 'file', mode: 0o644, content: { type: 'bytes', bytes: bytes(BUSYBOX_GROUP) } });
    expect(BUSYBOX_GROUP).toContain('nogroup:x:65534:\n');
    expect(entry(changes, '/etc/hostname')).toBeUndefined();
  });

  it('is sorted by path and lists every parent dir', () => {
    expect(changes).toEqual([...changes].sort(byPath));
    const paths = new Set(changes.map((c) => c.path));
    for (const c of changes) {
      const parent = c.path.slice(0, c.path.lastIndexOf('/'));
      if (parent !== '') expect(paths.has(parent), `${c.path} has its parent`).toBe(true);
    }
  });

  it('gives the same diffID for the same inputs, whatever the applet order', () => {
    const a = layerOf(busyboxRootfs({ appletPaths: applets, binary: fakeBinary }));
    const b = layerOf(busyboxRootfs({ appletPaths: [...applets].reverse(), binary: { type: 'bytes', bytes: bytes('\x7fELF fake busybox') } }));
    expect(b.diffId).toBe(a.diffId);
    expect(layerOf(busyboxRootfs({ appletPaths: applets, binary: { type: 'bytes', bytes: bytes('other') } })).diffId).not.toBe(a.diffId);
    expect(layerOf(busyboxRootfs({ appletPaths: applets.slice(1), binary: fakeBinary })).diffId).toBe(a.diffId); // bin/busybox is not an applet link
    expect(layerOf(busyboxRootfs({ appletPaths: applets.slice(0, -1), binary: fakeBinary })).diffId).not.toBe(a.diffId);
  });

  it('writes a tar GNU tar lists as a busybox rootfs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-bb-'));
    try {
      writeFileSync(join(dir, 'layer.tar'), writeLayerTar(changes));
      const listing = execFileSync('tar', ['--numeric-owner', '-tvf', join(dir, 'layer.tar')], { env: { ...process.env, TZ: 'UTC' } }).toString();
      expect(listing).toMatch(/^lrwxrwxrwx 0\/0 +0 1970-01-01 00:00 bin\/sh -> \/bin\/busybox$/m);
      expect(listing).toMatch(/^drwx------ 0\/0 +0 1970-01-01 00:00 root\/$/m);
      expect(listing).toMatch(/^drwxrwxrwt 0\/0 +0 1970-01-01 00:00 tmp\/$/m);
      expect(listing).toMatch(/^-rwxr-xr-x 0\/0 +17 1970-01-01 00:00 bin\/busybox$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('simulator busybox layer', () => {
  const layer = simBusyboxLayer();

  it('links every applet of the recorded busybox to /bin/busybox, in /bin', () => {
    expect(busyboxImageMeta.appletPaths.length).toBeGreaterThan(100);
    for (const applet of busyboxImageMeta.appletPaths) {
      const c = entry(layer.changes, `/bin/${applet.split('/').pop()}`);
      if (applet === 'bin/busybox') expect(c).toMatchObject({ kind: 'file', mode: 0o755, content: { type: 'external', ...busyboxImageMeta.binary } });
      else expect(c).toMatchObject({ kind: 'symlink', target: '/bin/busybox' });
    }
  });

  it('is built once a page and cannot be changed by one engine under another', () => {
    expect(simBusyboxLayer()).toBe(layer);
    expect(Object.isFrozen(layer) && Object.isFrozen(layer.changes)).toBe(true);
    expect(() => (layer.changes as Change[]).push(layer.changes[0]!)).toThrow(TypeError);
  });

  it("carries the real layer's diffID and Docker's size for it", () => {
    expect(layer.diffId).toBe(busyboxImageMeta.diffId);
    expect(layer.size).toBe(layerSize(layer.changes));
    expect(layer.size).toBe(
      busyboxImageMeta.binary.size + 12 * (busyboxImageMeta.appletPaths.length - 1) + BUSYBOX_PASSWD.length + BUSYBOX_GROUP.length,
    );
  });

  it('cannot be written as a tar: the simulator does not hold the binary', () => {
    expect(() => writeLayerTar(layer.changes)).toThrow(ExternalContent);
  });

  it('is what the generator makes from the host busybox, and the same again when rerun', () => {
    const host = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
    expect(host, 'busybox-static is installed').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-gen-'));
    try {
      const gen = (n: number) => {
        execFileSync(process.execPath, [
          '--import',
          'tsx',
          'scripts/gen-busybox-image.mjs',
          '--busybox',
          host!,
          '--out',
          join(dir, `${n}.json`),
          '--tar',
          join(dir, `${n}.tar`),
        ]);
        return { meta: JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')), tar: new Uint8Array(readFileSync(join(dir, `${n}.tar`))) };
      };
      const first = gen(1);
      const second = gen(2);
      expect(second.meta).toEqual(first.meta);
      expect(sha256(first.tar)).toBe(first.meta.diffId);
      // The tar holds exactly the recipe's entries, with the real binary.
      const real = readLayerTar(first.tar);
      const binary = new Uint8Array(readFileSync(host!));
      expect(real).toEqual(busyboxRootfs({ appletPaths: first.meta.appletPaths, binary: { type: 'bytes', bytes: binary } }));
      expect(first.meta.binary).toEqual({ size: binary.length, digest: sha256(binary) });
      if (first.meta.binary.digest === busyboxImageMeta.binary.digest) {
        // Same binary as when the JSON was committed: the same layer, to the byte.
        expect(first.meta).toEqual(busyboxImageMeta);
        expect(real.map((c) => c.path)).toEqual(layer.changes.map((c) => c.path));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Two runs of the generator, each a node started with tsx hashing the 2 MB binary:
    // 10 s alone, 84 s once on a CI machine busy with the browser suites.
  }, 180_000);
});
