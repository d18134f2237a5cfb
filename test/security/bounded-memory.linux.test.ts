import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { heldRss, peakGrowth } from '../support/rss.js';
import { command, createSession, type Created } from '../sandbox/api-harness.js';
import { archiveOfLayers, gzipBombLayer } from '../support/gzip-bomb.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

const MiB = 1024 * 1024;
const LOG_BYTES = 256 * 1024;
/** The session's disk: what a load may unpack to, as well. */
const SESSION_BYTES = 384 * MiB;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bytes in use on a session's disk (its tmpfs). */
function diskUsed(stateDir: string, session: Created): number {
  const fs = statfsSync(join(stateDir, 'sessions', session.id));
  return (fs.blocks - fs.bfree) * fs.bsize;
}

describe.skipIf(!run)('one learner cannot make the server hold unbounded memory (root)', () => {
  const sandbox = useLinuxSandboxApp('layerlab-bounded-', { maxLogBytes: LOG_BYTES, stateBytes: SESSION_BYTES });
  let learner: Created;
  let neighbour: Created;

  beforeAll(async () => {
    const { app } = sandbox;
    learner = await createSession(app);
    neighbour = await createSession(app);
  });

  /** The other learner's `docker run` still works. */
  async function neighbourRuns(): Promise<void> {
    const res = await command(sandbox.app, neighbour, 'docker run --rm busybox echo ok');
    expect(res.json()).toMatchObject({ stdout: 'ok\n', exitCode: 0 });
  }

  it('a detached output flood keeps the last max-size bytes of log, and the server its memory', async () => {
    const before = heldRss();
    const started = await command(sandbox.app, learner, 'docker run -d --name flood busybox cat /dev/zero');
    expect(started.json()).toMatchObject({ exitCode: 0 });
    // Docker's json-file would have written gigabytes by now; the log keeps LOG_BYTES.
    await sleep(3000);
    await neighbourRuns();
    const grown = heldRss() - before;
    expect(grown).toBeLessThan(80 * MiB);
    const logs = await command(sandbox.app, learner, 'docker logs flood');
    const { stdout, exitCode } = logs.json<{ stdout: string; exitCode: number }>();
    expect(exitCode).toBe(0);
    expect(stdout.length).toBe(LOG_BYTES);
    expect(/^\0+$/.test(stdout)).toBe(true);
    expect((await command(sandbox.app, learner, 'docker rm -f flood')).json()).toMatchObject({ exitCode: 0 });
  });

  it('a gzip bomb through docker load is refused as it streams, at the session disk, not at what it unpacks to', async () => {
    const archive = archiveOfLayers([await gzipBombLayer(500)]);
    expect(archive.length).toBeLessThan(MiB);
    const put = await sandbox.app.inject({
      method: 'PUT',
      url: `/api/sessions/${learner.id}/files/bomb.tar`,
      headers: { ...learner.auth, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(archive),
    });
    expect(put.statusCode).toBeLessThan(300);
    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker load -i bomb.tar'));
    expect(result.json()).toMatchObject({ stdout: '', stderr: 'decompressed data is larger than this sandbox allows (384MiB)\n', exitCode: 1 });
    // Unbounded, the 500 MiB tar, its hash and its copy grew the server by 1.5 GB; held
    // up to the cap, by 400 MB. Counted before it is kept, it holds a chunk at a time.
    expect(grown).toBeLessThan(64 * MiB);
    await neighbourRuns();
    expect((await command(sandbox.app, learner, 'docker images -q bomb')).json()).toMatchObject({ stdout: '', exitCode: 0 });
  });

  it('a 100 MB docker commit streams its layer tar to disk: the server holds the layer once, never a tar of it beside it', async () => {
    const made = await command(sandbox.app, learner, 'docker run --name big busybox dd if=/dev/zero of=/big bs=1M count=100');
    expect(made.json()).toMatchObject({ exitCode: 0 });
    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker commit big big:v1'));
    expect(result.json()).toMatchObject({ exitCode: 0 });
    // The layer's files are read once (100 MB) and the tar streams to disk from them; built
    // whole beside them (and its file bytes copied), it grew the server by 170–180 MB.
    expect(grown).toBeLessThan(140 * MiB);
    await neighbourRuns();
    expect((await command(sandbox.app, learner, 'docker run --rm big:v1 wc -c /big')).json()).toMatchObject({
      stdout: '104857600 /big\n',
      exitCode: 0,
    });
    expect((await command(sandbox.app, learner, 'docker rm big')).json()).toMatchObject({ exitCode: 0 });
    expect((await command(sandbox.app, learner, 'docker rmi big:v1')).json()).toMatchObject({ exitCode: 0 });
  });

  it.each([
    ['its layer blob', 200],
    ['its layer snapshot', 150],
  ])('a commit that fills the session disk writing %s says so, and gives the disk back', async (_what, mb) => {
    const made = await command(sandbox.app, learner, `docker run --name fill busybox dd if=/dev/zero of=/fill bs=1M count=${mb}`);
    expect(made.json()).toMatchObject({ exitCode: 0 });
    const used = diskUsed(sandbox.stateDir, learner);
    const res = await command(sandbox.app, learner, 'docker commit fill fill:v1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stdout: '', stderr: expect.stringContaining('no space left on device'), exitCode: 1 });
    // What the commit wrote before the disk filled is gone: the quota is as it was.
    expect(Math.abs(diskUsed(sandbox.stateDir, learner) - used)).toBeLessThan(MiB);
    await neighbourRuns();
    expect((await command(sandbox.app, learner, 'docker rm fill')).json()).toMatchObject({ exitCode: 0 });
  });

  it('docker load of a 100 MiB layer holds it once while it is checked and stored', async () => {
    const archive = archiveOfLayers([await gzipBombLayer(100)]);
    const put = await sandbox.app.inject({
      method: 'PUT',
      url: `/api/sessions/${learner.id}/files/zeros.tar`,
      headers: { ...learner.auth, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(archive),
    });
    expect(put.statusCode).toBeLessThan(300);
    const { result, grown } = await peakGrowth(() => command(sandbox.app, learner, 'docker load -i zeros.tar'));
    expect(result.json()).toMatchObject({ stdout: 'Loaded image: bomb:latest\n', exitCode: 0 });
    // The tar's files are views of it, not copies (which grew the server by 180 MB).
    expect(grown).toBeLessThan(160 * MiB);
    await neighbourRuns();
    expect((await command(sandbox.app, learner, 'docker rmi bomb:latest')).json()).toMatchObject({ exitCode: 0 });
  });
});
