import { describe, expect, it } from 'vitest';
import { aSimEngine, type TestEngine } from './support/sim-engine.js';
import { volumeRefusals } from './volume-refusals.js';

describe('volumes on the simulator', () => {
  let t: TestEngine;
  const fresh = async () => {
    t = await aSimEngine();
    return t;
  };

  describe('refusals', () => {
    it('opens an engine', async () => {
      await fresh();
    });
    volumeRefusals(() => t.engine);
  });

  it("an image's VOLUME gets an anonymous volume: run --rm and rm -v remove it, rm alone keeps it, a named one always stays", async () => {
    const { run, engine } = await fresh();
    await engine.workspace!.write('Dockerfile', new TextEncoder().encode('FROM busybox\nVOLUME /cache\n'));
    expect(await run('docker build -q -t withvol .')).toMatch(/^sha256:/);
    await run('docker run --rm withvol sh -c "echo x > /cache/f"');
    expect(await run('docker volume ls -q')).toBe('[exit 0]');
    await run('docker run --name keep withvol true');
    await run('docker run --name named -v mine:/cache withvol true');
    const anon = (await engine.exec('docker volume ls -q')).stdout.split('\n').filter((n) => /^[0-9a-f]{64}$/.test(n));
    expect(anon).toHaveLength(1);
    // -v on the image's VOLUME path takes its place: no second anonymous volume.
    const mounts = JSON.parse((await engine.exec("docker inspect -f '{{json .Mounts}}' named")).stdout);
    expect(mounts.map((m: { Name: string; Destination: string }) => `${m.Name} ${m.Destination}`)).toEqual(['mine /cache']);
    await run('docker rm keep');
    expect((await engine.exec('docker volume ls -q')).stdout).toContain(anon[0]);
    await run('docker rm -v named');
    expect((await engine.exec('docker volume ls -q')).stdout).toContain('mine');
    // prune takes the anonymous ones no container holds; -a the named ones too.
    expect(await run('docker volume prune -f')).toBe(`Deleted Volumes:\n${anon[0]}\n\nTotal reclaimed space: 0B\n[exit 0]`);
    expect(await run('docker volume prune -f -a')).toBe('Deleted Volumes:\nmine\n\nTotal reclaimed space: 0B\n[exit 0]');
    expect(await run('docker volume prune')).toMatch(/add -f\n\[exit 1\]$/);
  });

  it('run --rm whose process cannot start takes its anonymous volumes with it, as a run that ends does', async () => {
    const { run } = await fresh();
    expect(await run('docker run --rm -v /scratch busybox no-such-command')).toMatch(/\[exit 127\]$/);
    expect(await run('docker run -d --rm -v /scratch busybox no-such-command')).toMatch(/\[exit 127\]$/);
    expect(await run('docker volume ls -q')).toBe('[exit 0]');
    expect(await run('docker ps -aq')).toBe('[exit 0]');
  });

  it('volume rm is refused while any container holds the volume, a stopped one too; -f changes nothing there', async () => {
    const { run } = await fresh();
    await run('docker create --name holder -v data:/d busybox');
    const id = (await t.engine.exec("docker inspect -f '{{.Id}}' holder")).stdout.trim();
    expect(await run('docker volume rm -f data')).toBe(`! Error response from daemon: remove data: volume is in use - [${id}]\n[exit 1]`);
    await run('docker rm holder');
    expect(await run('docker volume rm data')).toBe('data\n[exit 0]');
  });

  it('prune counts the bytes it frees', async () => {
    const { run } = await fresh();
    await run("docker run --rm -v big:/b busybox sh -c 'echo 123456789 > /b/ten; mkdir /b/d; echo 1234 > /b/d/five'");
    expect(await run('docker volume prune -af')).toBe('Deleted Volumes:\nbig\n\nTotal reclaimed space: 15B\n[exit 0]');
  });

  it('inside a volume, links and .. resolve in the container, never in the volume’s own tree; its mount point cannot go', async () => {
    const { run } = await fresh();
    const script = [
      'ln -s /etc/hostname /v/abs',
      'ln -s ../etc/hostname /v/rel',
      'cat /v/abs /v/rel /v/../etc/hostname | sort -u | wc -l',
      'rmdir /v 2>&1; rm -rf /v 2>&1; ls -d /v',
      'echo moved > /v/m; mv /v/m /tmp/m && cat /tmp/m',
      'mkdir -p /v/sub/deep && ls /v/sub',
    ].join('; ');
    expect(await run(`docker run --name links -v lv:/v busybox sh -c '${script}'`)).toBe(
      "1\nrmdir: '/v': Device or resource busy\nrm: can't remove '/v': Device or resource busy\n/v\nmoved\ndeep\n[exit 0]",
    );
    // The layer holds the mount point and what went to /tmp; nothing of the volume.
    expect(await run('docker diff links')).toBe('C /tmp\nA /tmp/m\nA /v\n[exit 0]');
    // rm -rf emptied it (only the mount point itself stayed); what came after is there.
    expect(await run('docker run --rm -v lv:/v busybox ls /v')).toBe('sub\n[exit 0]');
  });

  it('a volume inside another is its own: what goes below the inner mount point is in the inner volume', async () => {
    const { run } = await fresh();
    await run("docker run --rm -v outer:/o -v inner:/o/i busybox sh -c 'echo a > /o/a; echo b > /o/i/b'");
    expect(await run('docker run --rm -v outer:/o busybox find /o')).toBe('/o\n/o/a\n/o/i\n[exit 0]');
    expect(await run('docker run --rm -v inner:/x busybox find /x')).toBe('/x\n/x/b\n[exit 0]');
  });
});
