// The Docker oracle: a private, fresh dockerd (own data root and socket under /tmp)
// holding only busybox:latest made as Layerlab's base image is made. Used to record
// conformance cases (scripts/record-case.mjs) and as a baseline in benchmarks
// (bench/sandbox.bench.ts, bench/build.bench.ts). Needs root and Debian's docker.io and
// busybox-static. Environment: LAYERLAB_ORACLE_DOCKER (client binary, default `docker`
// on PATH), LAYERLAB_ORACLE_DOCKERD (default `dockerd`).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
// The image's users and groups from the one place the engine and simulator take them, so
// the oracle's busybox cannot drift from ours (it had `nobody` for buildroot's `nogroup`).
import { BUSYBOX_GROUP, BUSYBOX_PASSWD } from '../../src/engine/base-image/busybox.ts';
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
 * busybox:latest as Layerlab's base image is made: Debian's static busybox, its applets as
 * symlinks, the base image's /etc/passwd and /etc/group (src/engine/base-image/busybox.ts), and
 * its top-level dirs.
 */
export function importBusybox(daemonEnv) {
  const rootfs = mkdtempSync(join(tmpdir(), 'layerlab-busybox-'));
  // The image's modes (0755 dirs, 0644 files) whatever the recording shell's umask: under
  // 002 its /etc/passwd would be 0664 in the oracle's busybox and in every case's `ls -l`.
  const umask = process.umask(0o022);
  try {
    for (const dir of ['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'var']) mkdirSync(join(rootfs, dir));
    chmodSync(join(rootfs, 'tmp'), 0o1777);
    chmodSync(join(rootfs, 'root'), 0o700);
    const copy = spawnSync('cp', ['/bin/busybox', join(rootfs, 'bin/busybox')]);
    if (copy.status !== 0) throw new Error('cannot copy /bin/busybox: install busybox-static');
    const applets = spawnSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const applet of applets) {
      if (applet === 'bin/busybox') continue;
      mkdirSync(dirname(join(rootfs, applet)), { recursive: true });
      symlinkSync('/bin/busybox', join(rootfs, applet));
    }
    writeFileSync(join(rootfs, 'etc/passwd'), BUSYBOX_PASSWD);
    writeFileSync(join(rootfs, 'etc/group'), BUSYBOX_GROUP);
    const imported = spawnSync(
      'sh',
      [
        '-c',
        `tar --numeric-owner --owner=0 --group=0 -C "$1" -c . | "$2" import --change "$3" --change 'CMD ["sh"]' - busybox:latest`,
        'sh',
        rootfs,
        DOCKER,
        `ENV PATH=${DEFAULT_PATH}`,
      ],
      { env: { ...process.env, ...daemonEnv }, encoding: 'utf8' },
    );
    if (imported.status !== 0) throw new Error(`docker import failed: ${imported.stderr}`);
  } finally {
    process.umask(umask);
    rmSync(rootfs, { recursive: true, force: true });
  }
}

/** A private oracle daemon with busybox:latest imported; `stop()` removes all of it. */
export async function startOracle() {
  const daemon = await startDaemon();
  try {
    importBusybox(daemon.env);
  } catch (error) {
    await daemon.stop();
    throw error;
  }
  return daemon;
}
