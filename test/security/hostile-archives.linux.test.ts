import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLayerTar } from '../../src/engine/layer/tar.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { aDir, aFile, aSymlink } from '../support/builders.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { HostSentinel, treeOf } from './host-sentinel.js';
import { hostileLayers, imageArchive, rawTar } from './hostile-tar.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const encoder = new TextEncoder();

/**
 * Hostile archives and containers through every entry point that unpacks or walks a layer
 * on the host — `docker load`, ADD of a tar, COPY --from, commit and diff of a container
 * holding links out — against a sentinel directory outside the session: after each, the
 * sentinel is exactly as it was, its checksummed file unchanged, no host file's bytes are
 * in any layer, and a refusal says why with exit code 1, leaving nothing half-written.
 */
describe.skipIf(!run)('hostile archives and links on runc (root)', () => {
  const sentinel = run ? new HostSentinel() : undefined!;
  const linux = useLinuxEngine('layerlab-hostile-', () => new MemoryWorkspace());
  let before: string[];
  let digest: string;
  beforeAll(() => {
    before = sentinel.state();
    digest = sentinel.fileDigest();
  });
  afterAll(() => sentinel.remove());

  const exec = (line: string) => linux.engine.exec(line);
  const write = (path: string, bytes: Uint8Array | string) =>
    linux.engine.workspace!.write(path, typeof bytes === 'string' ? encoder.encode(bytes) : bytes);
  const expectHostUnchanged = () => {
    expect(sentinel.state()).toEqual(before);
    expect(sentinel.fileDigest()).toBe(digest);
  };
  /** The session's own files: what a refused command must not have added to. */
  const sessionTree = () => treeOf(linux.root).filter((p) => !/(^|\/)(metadata\.json|\.lock)$/.test(p));

  for (const { name, entries, refused } of hostileLayers(run ? sentinel.dir : '/x', run ? sentinel.file : '/x/f')) {
    it(`docker load: ${name}`, async () => {
      await write(
        'hostile.tar',
        imageArchive([writeLayerTar([aFile('/ok', 'ok')]), rawTar(entries)], `load-${name.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}:v1`),
      );
      const images = (await linux.engine.state()).images;
      const tree = sessionTree();
      const r = await exec('docker load -i hostile.tar');
      expectHostUnchanged();
      if (refused) {
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toMatch(/^failed to register layer: Error processing tar file\(exit status 1\): /);
        expect(r.stderr).toMatch(refused);
        // Nothing half-written: no image, no blob, no snapshot.
        expect((await linux.engine.state()).images).toEqual(images);
        expect(sessionTree()).toEqual(tree);
      } else {
        expect(r).toMatchObject({ exitCode: 0, stderr: '' });
      }
    });
  }

  it('ADD of a hostile tar in a Dockerfile fails the build, and the host is untouched', async () => {
    for (const [i, { name, entries, refused, code }] of hostileLayers(sentinel.dir, sentinel.file).entries()) {
      await write(`add-${i}/evil.tar`, rawTar(entries));
      await write(`add-${i}/Dockerfile`, 'FROM busybox\nADD evil.tar /\n');
      const r = await exec(`docker build -q -t add-evil add-${i}`);
      expectHostUnchanged();
      // A breakout fails the step; an archive that is merely unreadable is copied as a file.
      if (code === 'LAYER_BREAKOUT') {
        expect(r.exitCode, name).toBe(1);
        expect(r.stderr, name).toMatch(/failed to copy files: /);
        expect(r.stderr, name).toMatch(refused as RegExp);
      } else expect(r.exitCode, `${name}: ${r.stderr}`).toBe(0);
    }
  }, 180_000);

  it('COPY --from of a stage holding links that point at the host copies links, never host files', async () => {
    await write(
      'copy-from/Dockerfile',
      [
        'FROM busybox AS links',
        `RUN ln -s ${sentinel.dir} /out && ln -s ${sentinel.file} /file && mkdir /d && ln -s ${sentinel.dir} /d/out && ln -s / /d/root`,
        'FROM busybox',
        'COPY --from=links /d/ /copied/',
        'COPY --from=links /file /file-link',
        `RUN echo pwned > /copied/out/pwned; echo pwned > /copied/root${sentinel.dir}/pwned; true`,
      ].join('\n') + '\n',
    );
    const r = await exec('docker build -q -t copy-from copy-from');
    expectHostUnchanged();
    expect(r.stderr).not.toContain(sentinel.secret);
    expect(r.exitCode === 0 || /not found/.test(r.stderr)).toBe(true);
  });

  it('commit and diff of a container holding links out read the links, not the host', async () => {
    const script = [
      `ln -s ${sentinel.dir} /out`,
      `ln -s ${sentinel.file} /file`,
      `ln -s ${sentinel.dir}/keep /etc/keep`,
      'mkdir -p /w',
      `ln -s ${sentinel.dir} /w/d`,
    ].join(' && ');
    expect((await exec(`docker run --name linker busybox sh -c "${script}"`)).exitCode).toBe(0);
    const diff = await exec('docker diff linker');
    expect(diff.stdout.split('\n')).toEqual(expect.arrayContaining(['A /out', 'A /file', 'A /etc/keep', 'A /w/d']));
    expect(diff.stdout).not.toMatch(/sentinel|inner|passwd/);
    expect((await exec('docker commit linker linked:v1')).exitCode).toBe(0);
    expect((await exec('docker save -o linked.tar linked:v1')).exitCode).toBe(0);
    const saved = new TextDecoder('latin1').decode((await linux.engine.workspace!.read('linked.tar'))!);
    expect(saved).not.toContain(sentinel.secret);
    // The committed links are links in the image, and resolve inside its rootfs.
    const cat = await exec('docker run --rm linked:v1 cat /file');
    expect(cat.exitCode).toBe(1);
    expect(cat.stdout + cat.stderr).not.toContain(sentinel.secret);
    expectHostUnchanged();
  });

  it('--user NAME reads /etc/passwd inside the rootfs even through a symlink, never the host', async () => {
    const layer = writeLayerTar([aDir('/etc'), aSymlink('/etc/passwd', sentinel.passwd), aSymlink('/etc/group', `../../../..${sentinel.passwd}`)]);
    await write('passwd-link.tar', imageArchive([layer], 'passwd-link:v1'));
    expect((await exec('docker load -i passwd-link.tar')).exitCode).toBe(0);
    // Read through the links on the host, the name would resolve to 4242 (then `id` is missing: 127).
    const r = await exec('docker run --rm --user hostuser passwd-link:v1 id -u');
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('unable to find user hostuser: no matching entries in passwd file');
    expectHostUnchanged();
  });

  it('--user NAME follows a symlinked /etc/passwd within the rootfs, as Docker does', async () => {
    await write(
      'user-in/Dockerfile',
      "FROM busybox\nRUN mkdir /shared && echo 'app:x:1234:1234::/:/bin/sh' > /shared/passwd && rm /etc/passwd && ln -s ../shared/passwd /etc/passwd\n",
    );
    expect((await exec('docker build -q -t user-in user-in')).exitCode).toBe(0);
    expect(await exec('docker run --rm --user app user-in id -u')).toMatchObject({ stdout: '1234\n', exitCode: 0 });
  });
});
