import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { hex, sha256, type Digest } from '../../src/engine/digest.js';
import { readArchive } from '../../src/engine/image-archive/archive-tar.js';
import { readLayerTar } from '../../src/engine/layer/tar.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { userNamespaceSetting } from '../../sandbox-server/linux/id-mapping.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const text = (s: string) => new TextEncoder().encode(s);

/** `docker exec`'s result, failing the test with its stderr when the command fails. */
async function ok(engine: Pick<Engine, 'exec'>, command: string): Promise<string> {
  const r = await engine.exec(command);
  expect(r.exitCode, `${command}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** `ls -ln DIR`'s owners by name: `{ bin: '0:0', home: '65534:65534' }`. */
function owners(ls: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of ls.split('\n').slice(1).filter(Boolean)) {
    const f = line.split(/\s+/);
    out[f[8]!] = `${f[2]}:${f[3]}`;
  }
  return out;
}

/** /proc/<pid>/status's Uid: or Gid: line — real, effective, saved, filesystem. */
async function hostIds(pid: number, field: 'Uid' | 'Gid'): Promise<number[]> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return new RegExp(`^${field}:\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$`, 'm').exec(status)!.slice(1).map(Number);
}

/** The layer blobs of a `docker save` archive in the workspace, by their sha256. */
async function savedLayers(workspace: MemoryWorkspace, path: string): Promise<Map<Digest, Uint8Array>> {
  const archive = readArchive((await workspace.read(path))!);
  const blobs = new Map<Digest, Uint8Array>();
  for (const p of archive.paths) {
    const bytes = (await archive.read(p))!;
    if (p.startsWith('blobs/sha256/')) blobs.set(sha256(bytes), bytes);
  }
  return blobs;
}

describe.skipIf(!run)('root in a container is not root on the host: the user namespace (root)', () => {
  // The server's default (LAYERLAB_USERNS unset): container ids 0…65535 are host ids 100000…165535.
  const ids = userNamespaceSetting()!;
  const workspace = new MemoryWorkspace();
  const linux = useLinuxEngine('layerlab-userns-', () => workspace);
  let engine: Engine;
  let sim: Engine;
  beforeAll(async () => {
    engine = linux.engine;
    sim = await createSimEngine();
  });

  it('is on by default, with the range Docker gives dockremap', () => {
    expect(ids).toEqual({ start: 100000, size: 65536 });
  });

  it("runs the container's init as a host uid and gid inside the range, in a user namespace of its own", async () => {
    await ok(engine, 'docker run -d --name uns busybox sleep 300');
    const c = (await engine.state()).containers.find((x) => x.name === 'uns')!;
    expect(c.pid).toBeGreaterThan(1);
    // Read from the host's /proc, not through the code under test.
    for (const field of ['Uid', 'Gid'] as const) expect(await hostIds(c.pid!, field), field).toEqual([ids.start, ids.start, ids.start, ids.start]);
    expect((await readFile(`/proc/${c.pid}/uid_map`, 'utf8')).trim().split(/\s+/).map(Number)).toEqual([0, ids.start, ids.size]);
    expect(await readlink(`/proc/${c.pid}/ns/user`)).not.toBe(await readlink('/proc/self/ns/user'));
    // The image's shared layer is unpacked once, shifted: its files are the range's, not host root's.
    const busybox = await lstat(join(linux.backend.base.layerDir, 'bin/busybox'));
    expect([busybox.uid, busybox.gid]).toEqual([ids.start, ids.start]);
  });

  it('is root inside: `id`, and `ls -ln /` shows the owners the simulator shows', async () => {
    expect(await ok(engine, 'docker exec uns id')).toMatch(/^uid=0\(root\) gid=0\(root\) /);
    const real = owners(await ok(engine, 'docker exec uns ls -ln /'));
    const simulated = owners(await ok(sim, 'docker run --rm busybox ls -ln /'));
    // /proc and /sys are the kernel's, owned by host root, which the range does not map: the
    // kernel shows them as the overflow id 65534 — as under Docker's userns-remap.
    expect(real.proc).toBe('65534:65534');
    for (const kernel of ['proc', 'sys']) {
      delete real[kernel];
      delete simulated[kernel];
    }
    expect(real).toEqual(simulated);
    expect(real.bin).toBe('0:0');
    // The etc files the server writes are container root's: root can still edit them, as in Docker.
    expect(owners(await ok(engine, 'docker exec uns sh -c "echo 10.0.0.9 extra >> /etc/hosts && ls -ln /etc"'))).toMatchObject({
      hosts: '0:0',
      hostname: '0:0',
      'resolv.conf': '0:0',
    });
  });

  it("writes a container's files on the host as shifted ids, while diff, commit and save give the simulator's layer bytes", async () => {
    const script = 'docker run --name wr busybox sh -c "echo hi > /f; mkdir /d; echo x > /d/g; rm /bin/ls"';
    await ok(engine, script);
    await ok(sim, script);
    const upper = (await engine.state()).containers.find((x) => x.name === 'wr')!.mount!.upperDir;
    for (const p of ['f', 'd', 'd/g', 'bin']) {
      const s = await lstat(join(upper, p));
      expect([s.uid, s.gid], p).toEqual([ids.start, ids.start]);
    }
    expect(await ok(engine, 'docker diff wr')).toBe(await ok(sim, 'docker diff wr'));
    await ok(engine, 'docker commit wr img');
    await ok(sim, 'docker commit wr img');
    const layers = await ok(engine, 'docker inspect -f "{{json .RootFS.Layers}}" img');
    expect(layers).toBe(await ok(sim, 'docker inspect -f "{{json .RootFS.Layers}}" img'));
    const top = (JSON.parse(layers) as Digest[]).at(-1)!;
    // The save rebuilds the layer from the snapshot: its bytes hash to the simulator's diffID.
    await ok(engine, 'docker save -o img.tar img');
    expect((await savedLayers(workspace, 'img.tar')).has(top), hex(top)).toBe(true);
  });

  it("shifts a non-root user's files too, and back in the layer tar", async () => {
    await ok(engine, 'docker run --name wu -u 1000:1000 busybox sh -c "echo u > /tmp/u"');
    const upper = (await engine.state()).containers.find((x) => x.name === 'wu')!.mount!.upperDir;
    const s = await lstat(join(upper, 'tmp/u'));
    expect([s.uid, s.gid]).toEqual([ids.start + 1000, ids.start + 1000]);
    await ok(engine, 'docker commit wu imgu');
    const top = (JSON.parse(await ok(engine, 'docker inspect -f "{{json .RootFS.Layers}}" imgu')) as Digest[]).at(-1)!;
    await ok(engine, 'docker save -o imgu.tar imgu');
    const entries = readLayerTar((await savedLayers(workspace, 'imgu.tar')).get(top)!);
    expect(entries.map((e) => (e.kind === 'whiteout' ? [e.path] : [e.path, e.uid, e.gid]))).toEqual([
      ['/tmp', 0, 0],
      ['/tmp/u', 1000, 1000],
    ]);
  });

  it("refuses a layer entry whose owner the range cannot map, with moby idtools' error, and loads nothing", async () => {
    const builder = new MemoryWorkspace([
      { path: 'Dockerfile', bytes: text('FROM scratch\nCOPY --chown=70000:70000 f /f\n') },
      { path: 'f', bytes: text('x') },
    ]);
    const maker = await createSimEngine({ workspace: builder });
    await ok(maker, 'docker build -q -t far .');
    await ok(maker, 'docker save -o far.tar far');
    await workspace.write('far.tar', (await builder.read('far.tar'))!);
    const r = await engine.exec('docker load -i far.tar');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Container ID 70000 cannot be mapped to a host ID');
    expect(await ok(engine, 'docker images -q far')).toBe('');
    await maker.dispose();
  });

  it("refuses --user outside the range with the runtime's reason, as Docker under userns-remap", async () => {
    const r = await engine.exec('docker run --rm -u 70000 busybox id');
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('cannot set uid to unmapped user in user namespace');
  });
});
