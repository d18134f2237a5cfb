import { describe, expect, it } from 'vitest';
import en from '../../src/i18n/en.json';
import ko from '../../src/i18n/ko.json';
import {
  fileTreeLabels,
  layerGraphLabels,
  namespaceLabels,
  stateTableLabels,
  vmLabels,
  PICTURE_PREFIXES,
  VM_PREFIXES,
} from '../../src/components/picture-labels.js';
import { upperListing } from '../../src/components/upper-listing.js';

/** Every string in a nested labels object. */
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

/** The catalog an island gets: only the keys under its prefixes (island-labels.ts). */
const pick = (catalog: Record<string, string>, prefixes: readonly string[]) =>
  Object.fromEntries(Object.entries(catalog).filter(([k]) => prefixes.some((p) => k.startsWith(p))));

describe('picture labels', () => {
  for (const [locale, catalog] of [
    ['en', en],
    ['ko', ko],
  ] as const) {
    it(`${locale}: every word the renderers need comes from the island's catalog keys`, () => {
      const picture = pick(catalog, PICTURE_PREFIXES);
      const vm = pick(catalog, VM_PREFIXES);
      const all = [
        ...strings(layerGraphLabels(picture)),
        ...strings(fileTreeLabels(picture, 'x')),
        ...strings(stateTableLabels(picture)),
        ...strings(namespaceLabels(picture)),
        ...strings(vmLabels(vm)),
      ];
      // A missing key would come back as the key itself.
      expect(all.filter((s) => /^(picture|vm)\.[\w.]+$/.test(s))).toEqual([]);
      expect(layerGraphLabels(picture).status.paused).toBe(catalog['picture.state.paused']);
      expect(vmLabels(vm).roles['guest-os']).toContain('{n}');
      expect(namespaceLabels(picture).summary).toMatch(/\{own\}.*\{shared\}/);
    });
  }

  it('a missing key shows as the key, never as a blank', () => {
    expect(layerGraphLabels({}).layer).toBe('picture.layer');
    expect(stateTableLabels({}).containers.status).toBe('picture.tables.status');
  });
});

describe('upperListing', () => {
  it("types each upper-dir entry as ls -l would, a whiteout as overlayfs' char device 0/0", () => {
    expect(
      upperListing([
        { path: '/etc', kind: 'opaque', size: 0 },
        { path: '/etc/hostname', kind: 'whiteout', size: 0 },
        { path: '/tmp', kind: 'dir', size: 0 },
        { path: '/tmp/big', kind: 'file', size: 123456 },
        { path: '/tmp/link', kind: 'symlink', size: 4 },
      ]),
    ).toMatchInlineSnapshot(`
      "d      0 /etc  (trusted.overlay.opaque=y)
      c   0, 0 /etc/hostname  (whiteout)
      d      0 /tmp
      - 123456 /tmp/big
      l      4 /tmp/link"
    `);
  });
});
