// The Docker oracle: a private, fresh dockerd (own data root and socket under /tmp)
// holding only busybox:latest made as Layerlab's base image is made. Used to record
// conformance cases (scripts/record-case.mjs) and as a baseline in benchmarks
// (bench/sandbox.bench.ts, bench/build.bench.ts). Needs root and Debian's docker.io and
// busybox-static. Environment: LAYERLAB_ORACLE_DOCKER (client binary, default `docker`
// on PATH), LAYERLAB_ORACLE_DOCKERD (default `dockerd`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
// The base layer from the one recipe the server and the site use, so the oracle's busybox
// cannot drift from ours (it once had `nobody` for buildroot's `nogroup`, and its own dirs).
import { busyboxLayer } from '../../sandbox-server/linux/busybox-layer.ts';
import { DEFAULT_PATH } from '../../src/engine/containers/process-args.ts';

export const DOCKER = process.env.LAYERLAB_ORACLE_DOCKER ?? 'docker';
const DOCKERD = process.env.LAYERLAB_ORACLE_DOCKERD ?? 'dockerd';

// The official image's config sets PATH (Docker's default) and CMD; `docker commit` and `inspect` show them.

export async function startDaemon() {
  const root = mkdtempSync(join(tmpdir(), 'layerlab-oracle-'));
  const sock = join(root, 'docker.sock');
  const env = { DOCKER_HOST: `unix://${sock}` };
  const log = openSync(join(root, 'dockerd.log'), 'w');
  const child = spawn(
    DOCKERD,
    [
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'dockerd.pid')}`,
      `--host=unix://${sock}`,
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
    ],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise((done) => child.once('exit', done));
  for (let i = 0; i < 100; i++) {
    if (existsSync(sock) && spawnSync(DOCKER, ['version'], { env: { ...process.env, ...env }, stdio: 'ignore' }).status === 0) break;
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}: ${readFileSync(join(root, 'dockerd.log'), 'utf8')}`);
    await sleep(200);
  }
  return {
    env,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // The daemon's overlay mounts and netns files go with it; what is left is plain files.
      spawnSync('sh', ['-c', `grep -o " ${root}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * busybox:latest as Layerlab's base image is made: the very layer tar of the recipe
 * (sandbox-server/linux/busybox-layer.ts, from Debian's static busybox), imported with the
 * base image's config (ENV PATH, CMD ["sh"]) — so the oracle's busybox has our layout,
 * modes and owners, and its layer our diffID.
 */
export async function importBusybox(daemonEnv) {
  const { tar } = await busyboxLayer('/bin/busybox').catch((error) => {
    throw new Error(`cannot make the busybox layer from /bin/busybox (install busybox-static): ${error.message}`);
  });
  const imported = spawnSync(DOCKER, ['import', '--change', `ENV PATH=${DEFAULT_PATH}`, '--change', 'CMD ["sh"]', '-', 'busybox:latest'], {
    env: { ...process.env, ...daemonEnv },
    input: tar,
    encoding: 'utf8',
  });
  if (imported.status !== 0) throw new Error(`docker import failed: ${imported.stderr}`);
}

/** A private oracle daemon with busybox:latest imported; `stop()` removes all of it. */
export async function startOracle() {
  const daemon = await startDaemon();
  try {
    await importBusybox(daemon.env);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}
