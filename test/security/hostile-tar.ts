import fc from 'fast-check';
import { writeArchive } from '../../src/engine/image-archive/archive-tar.js';
import { sha256, hex } from '../../src/engine/digest.js';
import { BLOCK, encodeHeader, encodePaxRecords } from '../../src/engine/layer/tar-header.js';

/** One raw tar entry, written as given: any name, type and link target — what a hostile
 * archive holds, which the engine's own writer would refuse to make. */
export interface RawEntry {
  name: string;
  /** POSIX type flag: 0 file, 1 hard link, 2 symlink, 3 char dev, 4 block dev, 5 dir, 6 fifo. */
  type?: string;
  linkname?: string;
  data?: string | Uint8Array;
  mode?: number;
  uid?: number;
  gid?: number;
}

const encoder = new TextEncoder();

/** A layer tar of `entries` as written; a name or link over 100 bytes goes in a PAX record. */
export function rawTar(entries: readonly RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const pushData = (data: Uint8Array) => {
    chunks.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) chunks.push(new Uint8Array(pad));
  };
  for (const e of entries) {
    const data = typeof e.data === 'string' ? encoder.encode(e.data) : (e.data ?? new Uint8Array(0));
    const linkname = e.linkname ?? '';
    const pax = new Map<string, string>();
    if (encoder.encode(e.name).length > 100) pax.set('path', e.name);
    if (encoder.encode(linkname).length > 100) pax.set('linkpath', linkname);
    if (pax.size > 0) {
      const body = encodePaxRecords(pax);
      chunks.push(encodeHeader({ name: 'PaxHeader', mode: 0, uid: 0, gid: 0, size: body.length, mtime: 0, type: 'x', linkname: '' }));
      pushData(body);
    }
    const type = e.type ?? '0';
    chunks.push(
      encodeHeader({
        name: e.name.slice(0, 100),
        mode: e.mode ?? (type === '5' ? 0o755 : 0o644),
        uid: e.uid ?? 0,
        gid: e.gid ?? 0,
        size: type === '0' ? data.length : 0,
        mtime: 0,
        type,
        linkname: linkname.slice(0, 100),
      }),
    );
    if (type === '0') pushData(data);
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** A `docker save` archive (manifest.json form) of one image, tagged `tag`, whose layers are
 * the given tars with correct diffIDs — so nothing but the layers' contents can stop it. */
export function imageArchive(layers: readonly Uint8Array[], tag = 'hostile:latest'): Uint8Array {
  const config = encoder.encode(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      created: '2026-01-01T00:00:00Z',
      history: layers.map(() => ({ created: '2026-01-01T00:00:00Z', created_by: 'hostile' })),
      rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l)) },
    }),
  );
  const blob = (bytes: Uint8Array) => ({ path: `blobs/sha256/${hex(sha256(bytes))}`, bytes, mtime: 0 });
  const manifest = [{ Config: blob(config).path, RepoTags: [tag], Layers: layers.map((l) => blob(l).path) }];
  return writeArchive([
    { path: 'blobs', mtime: 0 },
    { path: 'blobs/sha256', mtime: 0 },
    ...[config, ...layers].map(blob),
    { path: 'manifest.json', bytes: encoder.encode(JSON.stringify(manifest)), mtime: 0 },
  ]);
}

/**
 * The hostile layers every entry point is attacked with, aimed at `hostDir` (a sentinel
 * directory outside the session) and `hostFile` (a checksummed file in it). `refused`
 * says whether Layerlab (and moby's rules) refuse the layer, with what words and code.
 */
export function hostileLayers(
  hostDir: string,
  hostFile: string,
): { name: string; entries: RawEntry[]; refused: RegExp | false; code?: 'LAYER_BREAKOUT' | 'INVALID_LAYER' }[] {
  const up = '../'.repeat(12);
  return [
    {
      name: 'symlink-then-file',
      entries: [
        { name: 'x', type: '2', linkname: hostDir },
        { name: 'x/pwned', data: 'pwned' },
      ],
      refused: /invalid symlink "\/x" -> ".*": "x\/pwned" is beneath it/,
      code: 'LAYER_BREAKOUT',
    },
    {
      name: 'symlink-then-dir-then-file',
      entries: [
        { name: 'x', type: '2', linkname: hostDir },
        { name: 'x/d/', type: '5' },
        { name: 'x/d/pwned', data: 'pwned' },
      ],
      refused: /invalid symlink "\/x"/,
      code: 'LAYER_BREAKOUT',
    },
    {
      name: 'relative symlink-then-file',
      entries: [
        { name: 'x', type: '2', linkname: `${up}${hostDir.slice(1)}` },
        { name: 'x/pwned', data: 'pwned' },
      ],
      refused: /invalid symlink "\/x"/,
      code: 'LAYER_BREAKOUT',
    },
    {
      name: 'symlink with a whiteout under it',
      entries: [
        { name: 'x', type: '2', linkname: hostDir },
        { name: 'x/.wh.sentinel', data: '' },
      ],
      refused: /invalid symlink "\/x"/,
      code: 'LAYER_BREAKOUT',
    },
    {
      name: 'symlink with an opaque marker under it',
      entries: [
        { name: 'x', type: '2', linkname: hostDir },
        { name: 'x/.wh..wh..opq', data: '' },
      ],
      refused: /invalid symlink "\/x"/,
      code: 'LAYER_BREAKOUT',
    },
    {
      name: 'hardlink to a host file',
      entries: [{ name: 'l', type: '1', linkname: hostFile }],
      refused: /hard link to a file not earlier in the layer/,
      code: 'INVALID_LAYER',
    },
    {
      name: 'hardlink climbing out',
      entries: [{ name: 'l', type: '1', linkname: `${up}${hostFile.slice(1)}` }],
      refused: /invalid hardlink "l" -> "(\.\.\/)+/,
      code: 'LAYER_BREAKOUT',
    },
    { name: '../ name', entries: [{ name: `${up}${hostDir.slice(1)}/pwned`, data: 'pwned' }], refused: /is outside of "\/"/, code: 'LAYER_BREAKOUT' },
    {
      name: 'whiteout of ..',
      entries: [
        { name: 'a/', type: '5' },
        { name: 'a/.wh..', data: '' },
      ],
      refused: /is outside of "\/"/,
      code: 'LAYER_BREAKOUT',
    },
    { name: 'absolute name (unpacked beneath the layer)', entries: [{ name: `${hostDir}/pwned`, data: 'pwned' }], refused: false },
    {
      name: 'file then symlink over its parent',
      entries: [
        { name: 'x/pwned', data: 'pwned' },
        { name: 'x', type: '2', linkname: hostDir },
      ],
      refused: false,
    },
    { name: 'overlong name', entries: [{ name: `${'n'.repeat(300)}`, data: 'pwned' }], refused: /file name too long/, code: 'INVALID_LAYER' },
    { name: 'overlong path', entries: [{ name: `${'d/'.repeat(2100)}pwned`, data: 'pwned' }], refused: /file name too long/, code: 'INVALID_LAYER' },
  ];
}

/** Names a hostile archive would try: climbing, absolute, whiteouts, long, odd bytes. */
const nameArb = fc.oneof(
  { arbitrary: fc.constantFrom('x', 'x/f', 'x/d/', 'x/d/f', 'x/.wh.f'), weight: 4 },
  fc.constantFrom(
    'x',
    'x/f',
    'x/y/z',
    'a',
    'a/b',
    '..',
    '../x',
    'x/../../y',
    '/etc/x',
    './x',
    '.wh.x',
    'x/.wh.f',
    'x/.wh..wh..opq',
    '.wh..',
    'x/.wh...',
    'x//f',
    '',
  ),
  fc.array(fc.constantFrom('x', 'a', '..', '.', '.wh.x', 'n'.repeat(260), '', 'é'), { minLength: 1, maxLength: 5 }).map((p) => p.join('/')),
  fc.string({ maxLength: 40 }),
);

/** A random tar entry; link targets and names include `hostDir`, a directory outside the session. */
export const entryArb = (hostDir = '/tmp/layerlab-sentinel'): fc.Arbitrary<RawEntry> =>
  fc.record({
    name: fc.oneof(nameArb, fc.constant(`${hostDir}/pwned`)),
    type: fc.oneof(
      { arbitrary: fc.constantFrom('0', '2', '5'), weight: 4 },
      fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', 'x', 'g', 'L', 'K', 'Z'),
    ),
    linkname: fc.oneof(nameArb, fc.constantFrom('/etc', hostDir, `${hostDir}/sentinel`, `../../../../../..${hostDir}`, 'x')),
    data: fc.oneof(fc.constant(''), fc.string({ maxLength: 64 })),
    mode: fc.integer({ min: 0, max: 0o7777 }),
    // Mostly ids a user namespace maps; now and then one it does not (a typed refusal).
    uid: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1000 }), weight: 19 }, fc.integer({ min: 0, max: 0o7777777 })),
    gid: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 1000 }), weight: 19 }, fc.integer({ min: 0, max: 0o7777777 })),
  });
