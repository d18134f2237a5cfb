import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../../src/sim/memory-workspace.js';
import { hostBaseLayerSource } from '../../support/host-base-layer.js';

const DIGEST = /Digest: (sha256:[0-9a-f]{64})/;

describe("the simulator's seeded localhost:5000/busybox", () => {
  // One layer source for the file: the seeds are built once per source and shared, as in a page.
  const layerSource = hostBaseLayerSource();
  const engine = (files: Record<string, string> = {}) =>
    createSimEngine({
      layerSource,
      workspace: new MemoryWorkspace(Object.entries(files).map(([path, text]) => ({ path, bytes: new TextEncoder().encode(text) }))),
    });

  it('is pulled without anything pushed first, with the digest a push of busybox:latest gives', async () => {
    const a = await engine();
    const pull = await a.exec('docker pull localhost:5000/busybox');
    expect(pull.exitCode, pull.stderr).toBe(0);
    // It is busybox:latest itself, whose config every engine holds: no layer to fetch, as moby says.
    expect(pull.stdout).toMatch(
      /^Using default tag: latest\nlatest: Pulling from busybox\nDigest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for localhost:5000\/busybox:latest\n/,
    );
    const seeded = DIGEST.exec(pull.stdout)![1];
    // The seed is busybox:latest byte for byte: a learner's own push of it names the same manifest.
    const b = await engine();
    await b.exec('docker tag busybox localhost:5000/mine');
    const push = await b.exec('docker push localhost:5000/mine');
    expect(push.stdout).toContain(`latest: digest: ${seeded} size:`);
    expect((await a.exec('docker run --rm localhost:5000/busybox echo seeded')).stdout).toBe('seeded\n');
  });

  it('keeps the seed when a learner pushes to its name: the push is theirs, another engine still pulls the seed', async () => {
    const seed = DIGEST.exec((await (await engine()).exec('docker pull localhost:5000/busybox')).stdout)![1];
    const learner = await engine({ Dockerfile: 'FROM busybox\nRUN echo mine > /mine\n' });
    expect((await learner.exec('docker build -q -t localhost:5000/busybox .')).exitCode).toBe(0);
    const push = await learner.exec('docker push localhost:5000/busybox');
    expect(push.exitCode, push.stderr).toBe(0);
    // Nothing of the seed's is taken as the learner's: their namespace held no blob, so both layers travel.
    expect(push.stdout.match(/: Pushed\n/g)).toHaveLength(2);
    const mine = /latest: digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)![1];
    expect(mine).not.toBe(seed);
    expect((await learner.exec('docker rmi localhost:5000/busybox')).exitCode).toBe(0);
    expect((await learner.exec('docker pull localhost:5000/busybox')).stdout).toContain(`Digest: ${mine}`);

    const other = await engine();
    expect((await other.exec('docker pull localhost:5000/busybox')).stdout).toContain(`Digest: ${seed}`);
  });

  it('has hello-world: busybox and a layer of its own, run without anything pushed', async () => {
    const r = await (await engine()).exec('docker run --rm localhost:5000/hello-world');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('Hello from the registry at localhost:5000!\nYou pulled this image without pushing it first.\n');
    // busybox's layer is here; only the image's own travels.
    expect(r.stderr).toMatch(
      /^Unable to find image 'localhost:5000\/hello-world:latest' locally\nlatest: Pulling from hello-world\n[0-9a-f]{12}: Already exists\n([0-9a-f]{12}): Pulling fs layer\n(\1: .*\n)*\1: Pull complete\nDigest: sha256:[0-9a-f]{64}\nStatus: Downloaded newer image for localhost:5000\/hello-world:latest\n$/,
    );
  });

  it('is only busybox and hello-world: another name is unknown until pushed', async () => {
    const r = await (await engine()).exec('docker pull localhost:5000/alpine');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('manifest unknown');
  });
});
