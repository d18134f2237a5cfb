import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OutsideRoot, readFileBeneath, readFileInScope, writeFileBeneath } from '../../sandbox-server/linux/beneath.js';
import { readLayerDir, writeLayerDir } from '../../sandbox-server/linux/layer-dir.js';
import { aDir, aFile } from '../support/builders.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { HostSentinel } from './host-sentinel.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/**
 * beneath.ts against links planted in the root, and against a process that swaps a
 * directory for a link to the host as fast as it can while the server walks and writes —
 * what a running container can do to its upper dir during `docker diff` or commit.
 */
describe.skipIf(!run)('resolving learner names beneath a root (root)', () => {
  const sentinel = run ? new HostSentinel('layerlab-beneath-') : undefined!;
  let root: string;
  let before: string[];
  beforeAll(() => {
    before = sentinel.state();
  });
  afterAll(() => sentinel.remove());
  afterEach(() => {
    expect(sentinel.state()).toEqual(before);
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });
  const freshRoot = () => {
    root = mkdtempSync(join(tmpdir(), 'layerlab-beneath-root-'));
    return root;
  };

  it('never reads or writes through a link, a .. or a magic link', async () => {
    const r = freshRoot();
    symlinkSync(sentinel.dir, join(r, 'out'));
    symlinkSync(sentinel.file, join(r, 'file'));
    symlinkSync('/proc/self/root', join(r, 'magic'));
    mkdirSync(join(r, 'd'));
    writeFileSync(join(r, 'd', 'ok'), 'ok');
    expect(await readFileBeneath(r, 'd/ok')).toEqual(new TextEncoder().encode('ok'));
    expect(await readFileBeneath(r, 'd/../d/ok')).toEqual(new TextEncoder().encode('ok'));
    for (const path of ['file', 'out/sentinel', 'magic/etc/passwd', `magic${sentinel.file}`]) {
      expect(await readFileBeneath(r, path), path).toBeUndefined();
    }
    for (const path of ['../../../../etc/passwd', `d/../..${sentinel.file}`]) {
      await expect(readFileBeneath(r, path), path).rejects.toThrow(OutsideRoot);
    }
    for (const path of ['file', 'out/pwned', `magic${sentinel.dir}/pwned`, '../pwned']) {
      await expect(writeFileBeneath(r, path, new Uint8Array([1])), path).rejects.toThrow();
    }
  });

  it('follows links inside the root only, as FollowSymlinkInScope does', async () => {
    const r = freshRoot();
    mkdirSync(join(r, 'etc'));
    mkdirSync(join(r, 'shared'));
    writeFileSync(join(r, 'shared', 'passwd'), 'in-root\n');
    symlinkSync('../shared/passwd', join(r, 'etc', 'passwd'));
    expect(new TextDecoder().decode(await readFileInScope(r, 'etc/passwd'))).toBe('in-root\n');
    // An absolute or climbing target starts again at the root: the host file is not there.
    symlinkSync(sentinel.passwd, join(r, 'etc', 'abs'));
    symlinkSync(`../../../../../..${sentinel.passwd}`, join(r, 'etc', 'climb'));
    symlinkSync('/proc/self/root/etc/passwd', join(r, 'etc', 'magic'));
    symlinkSync('loop', join(r, 'etc', 'loop'));
    for (const name of ['abs', 'climb', 'magic', 'loop']) expect(await readFileInScope(r, `etc/${name}`), name).toBeUndefined();
  });

  it('unpacks nothing through a link already in the upper dir', async () => {
    const r = freshRoot();
    symlinkSync(sentinel.dir, join(r, 'x'));
    // The link is not the layer's own directory: refused, as LayerBreakout.
    await expect(writeLayerDir(r, [aFile('/x/pwned', 'pwned')])).rejects.toThrow(/refusing to unpack through a link/);
    // An entry at the link's own name replaces it, never writes through it.
    await writeLayerDir(r, [aDir('/x'), aFile('/x/pwned', 'pwned')]);
    expect(await readFileBeneath(r, 'x/pwned')).toEqual(new TextEncoder().encode('pwned'));
  });

  describe('while another process swaps a directory for a link to the host', () => {
    let swapper: ChildProcess | undefined;
    /** Kills the shell and its `rm`/`ln` children, and waits for them: a child still running
     * after its shell died could make `d` again while afterEach removes the root (ENOTEMPTY). */
    const stopSwapper = async () => {
      const s = swapper;
      swapper = undefined;
      if (!s || s.exitCode !== null || s.signalCode !== null) return;
      const exited = new Promise((done) => s.once('exit', done));
      process.kill(-s.pid!, 'SIGKILL');
      await exited;
      // A child in the middle of an rmdir or symlink call dies only when the call returns,
      // which may be after its shell's exit reached us: give it a moment.
      await new Promise((done) => setTimeout(done, 50));
    };
    afterEach(stopSwapper);

    it('walks and writes stay beneath the root: the host is neither read nor written', async () => {
      const r = freshRoot();
      mkdirSync(join(r, 'w'));
      // `d` is a dir holding `f`, then a symlink to the sentinel dir, then a dir again, forever.
      swapper = spawn('sh', ['-c', `cd ${r}/w && while :; do mkdir d 2>/dev/null; echo x > d/f; rm -rf d; ln -s ${sentinel.dir} d; rm -f d; done`], {
        stdio: 'ignore',
        detached: true, // its own process group, so that stopSwapper ends its children too
      });
      const deadline = Date.now() + 3000;
      let walks = 0;
      let sawDir = 0;
      while (Date.now() < deadline) {
        const changes = await readLayerDir(r);
        walks++;
        if (changes.some((c) => c.path === '/w/d' && c.kind === 'dir')) sawDir++;
        // Only what the swapper and the writes made (`ln -s` into `d` when it is a dir at that
        // moment makes a link inside it): never a name or byte of the sentinel dir's.
        for (const c of changes) {
          expect(c.path.split('/').filter((part) => ['sentinel', 'passwd', 'keep', 'inner'].includes(part))).toEqual([]);
          if (c.kind === 'file')
            expect(new TextDecoder().decode(c.content.type === 'bytes' ? c.content.bytes : new Uint8Array())).not.toContain(sentinel.secret);
        }
        await writeFileBeneath(r, 'w/d/pwned', new Uint8Array([1])).catch(() => undefined);
        await writeLayerDir(r, [aDir('/w'), aDir('/w/d'), aFile('/w/d/pwned2', 'x')]).catch(() => undefined);
      }
      await stopSwapper();
      expect(walks).toBeGreaterThan(5);
      // The race was real: the walk met `d` as a directory while it was being swapped.
      expect(sawDir).toBeGreaterThan(0);
    });
  });
});
