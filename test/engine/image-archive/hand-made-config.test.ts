import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { writeArchive } from '../../../src/engine/image-archive/archive-tar.js';
import { writeLayerTar } from '../../../src/engine/layer/tar.js';
import { aFile } from '../../support/builders.js';
import { simEngine } from '../builder/sim-fixture.js';

const encoder = new TextEncoder();
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A one-layer `docker save` archive whose config is `config(diffId)`, as a learner can write by hand. */
function archive(config: (diffId: string) => unknown): Uint8Array {
  const layer = writeLayerTar([aFile('/f', 'hi\n')]);
  const configBytes = encoder.encode(JSON.stringify(config(`sha256:${sha(layer)}`)));
  const configPath = `${sha(configBytes)}.json`;
  const layerPath = `${sha(layer)}/layer.tar`;
  const manifest = [{ Config: configPath, RepoTags: ['hand:1'], Layers: [layerPath] }];
  return writeArchive([
    { path: configPath, bytes: configBytes, mtime: 0 },
    { path: layerPath, bytes: layer, mtime: 0 },
    { path: 'manifest.json', bytes: encoder.encode(JSON.stringify(manifest)), mtime: 0 },
  ]);
}
const image = (diffId: string) => ({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [diffId] } });

async function load(config: (diffId: string) => unknown) {
  const sim = await simEngine({ 'hand.tar': archive(config) });
  return { ...sim, loaded: await sim.engine.exec('docker load -i hand.tar') };
}

describe('docker load of a hand-made image config', () => {
  // Each refused with the Docker oracle's message (Engine 20.10's daemon, `docker load` of the
  // same config); the times in the words of the Go that Engine 28 is built with.
  it.each([
    [
      'history not a list',
      (d: string) => ({ ...image(d), history: 'x' }),
      'json: cannot unmarshal string into Go struct field Image.history of type []image.History',
    ],
    [
      'Env a number',
      (d: string) => ({ ...image(d), config: { Env: 5 } }),
      'json: cannot unmarshal number into Go struct field Config.config.Env of type []string',
    ],
    [
      'a label a number',
      (d: string) => ({ ...image(d), config: { Labels: { a: 1 } } }),
      'json: cannot unmarshal number into Go struct field Config.config.Labels of type string',
    ],
    [
      'config a string',
      (d: string) => ({ ...image(d), config: 'x' }),
      'json: cannot unmarshal string into Go struct field Image.config of type container.Config',
    ],
    [
      'created_by a number',
      (d: string) => ({ ...image(d), history: [{ created_by: 7 }] }),
      'json: cannot unmarshal number into Go struct field History.history.created_by of type string',
    ],
    [
      'a diffID a number',
      () => ({ ...image('x'), rootfs: { type: 'layers', diff_ids: [5] } }),
      'json: cannot unmarshal number into Go struct field RootFS.rootfs.diff_ids of type layer.DiffID',
    ],
    ['the config a list', () => [1], 'json: cannot unmarshal array into Go value of type image.Image'],
    ['created a number', (d: string) => ({ ...image(d), history: [{ created: 5 }] }), 'Time.UnmarshalJSON: input is not a JSON string'],
    [
      'created not a time',
      (d: string) => ({ ...image(d), created: 'yesterday' }),
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ],
    [
      'created with text after it',
      (d: string) => ({ ...image(d), created: '2020-01-01T00:00:00Zjunk' }),
      'parsing time "2020-01-01T00:00:00Zjunk": extra text: "junk"',
    ],
  ])('refuses %s in Go’s words, and keeps nothing of it', async (_name, config, message) => {
    const { engine, loaded } = await load(config);
    expect(loaded).toMatchObject({ stdout: '', stderr: `${message}\n`, exitCode: 1 });
    const state = await engine.state();
    expect(state.images.filter((i) => i.repoTags.includes('hand:1'))).toEqual([]);
  });

  it('loads history without `created` as Docker does: N/A, Go’s zero time, and the picture’s state still valid', async () => {
    const { engine, loaded } = await load((d) => ({
      ...image(d),
      history: [{ created_by: 'ADD f /' }, { created_by: 'CMD ["/f"]', empty_layer: true }],
    }));
    expect(loaded).toEqual({ stdout: 'Loaded image: hand:1\n', stderr: '', exitCode: 0 });
    // The Docker 28 CLI against the oracle's daemon, same config.
    const table = await engine.exec('docker history hand:1');
    expect(
      table.stdout
        .split('\n')
        .slice(1, 3)
        .map((l) => l.split(/\s{2,}/).slice(1, 3)),
    ).toEqual([
      ['N/A', 'CMD ["/f"]'],
      ['N/A', 'ADD f /'],
    ]);
    const json = await engine.exec(`docker history --format '{{.CreatedAt}} {{.CreatedSince}}' hand:1`);
    expect(json.stdout).toBe('0001-01-01T00:00:00Z N/A\n0001-01-01T00:00:00Z N/A\n');
    // Once, a missing `created` failed the state's schema: every later snapshot of the session threw.
    const state = await engine.state();
    expect(state.images.find((i) => i.repoTags.includes('hand:1'))!.history.map((h) => h.created)).toEqual([
      '0001-01-01T00:00:00Z',
      '0001-01-01T00:00:00Z',
    ]);
  });

  it('reads a string Cmd as the one-element list Docker’s StrSlice makes of it', async () => {
    const { engine, loaded } = await load((d) => ({ ...image(d), config: { Cmd: 'ls' } }));
    expect(loaded.exitCode).toBe(0);
    expect((await engine.exec(`docker image inspect -f '{{json .Config.Cmd}}' hand:1`)).stdout).toBe('["ls"]\n');
  });
});
