import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { DEFAULT_LIMITS } from '../../sandbox-server/sessions/session-limits.js';
import { linuxEngineFactory } from '../../sandbox-server/sessions/linux-engine-factory.js';
import { failLoudly } from '../support/linux-engine.js';

const DOCKER = process.env.LAYERLAB_ORACLE_DOCKER ?? 'docker';

/** The oracle: the machine's daemon if it answers, else a private one (as scripts/record-case.mjs starts it). */
async function oracle(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  if (spawnSync(DOCKER, ['info'], { stdio: 'ignore' }).status === 0) return { env: {}, stop: async () => {} };
  const root = mkdtempSync(join(tmpdir(), 'layerlab-oracle-'));
  const sock = join(root, 'docker.sock');
  const env = { DOCKER_HOST: `unix://${sock}` };
  const child: ChildProcess = spawn(
    process.env.LAYERLAB_ORACLE_DOCKERD ?? 'dockerd',
    [
      `--data-root=${join(root, 'data')}`,
      `--exec-root=${join(root, 'exec')}`,
      `--pidfile=${join(root, 'dockerd.pid')}`,
      `--host=unix://${sock}`,
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 150; i++) {
    if (existsSync(sock) && spawnSync(DOCKER, ['version'], { env: { ...process.env, ...env }, stdio: 'ignore' }).status === 0) break;
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}`);
    await sleep(200);
  }
  return {
    env,
    async stop() {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && child.exitCode === null && child.signalCode === null; i++) await sleep(200);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      spawnSync('sh', ['-c', `grep -o " ${root}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

describe('the Docker oracle accepts what Layerlab saves', () => {
  let stateDir: string;
  let filesDir: string;
  let engine: Engine;
  let daemon: Awaited<ReturnType<typeof oracle>>;
  const docker = (...args: string[]) => execFileSync(DOCKER, args, { env: { ...process.env, ...daemon.env }, encoding: 'utf8' });

  beforeAll(async () => {
    daemon = await oracle();
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-oracle-engine-'));
    const { factory } = await linuxEngineFactory(stateDir);
    const root = join(stateDir, 'session');
    filesDir = join(root, 'files');
    mkdirSync(filesDir, { recursive: true });
    writeFileSync(
      join(filesDir, 'Dockerfile'),
      'FROM busybox\nRUN rm /etc/group && echo built > /built\nCOPY file.txt /file.txt\nCMD ["cat", "/file.txt"]\n',
    );
    writeFileSync(join(filesDir, 'file.txt'), 'from layerlab\n');
    engine = await factory({ id: 'oracle', root: { path: root, filesDir, tmpfs: false }, limits: DEFAULT_LIMITS, fail: failLoudly });
  });
  afterAll(async () => {
    await engine?.dispose();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    await daemon?.stop();
  });

  it('docker load takes our tar, keeps our image ID and diffIDs, and runs it', async () => {
    expect((await engine.exec('docker build -t layerlab-made:v1 .')).exitCode).toBe(0);
    const image = (await engine.state()).images.find((i) => i.repoTags.includes('layerlab-made:v1'))!;
    expect((await engine.exec('docker save -o made.tar layerlab-made:v1')).exitCode).toBe(0);
    expect(docker('load', '-i', join(filesDir, 'made.tar'))).toBe('Loaded image: layerlab-made:v1\n');
    const [inspected] = JSON.parse(docker('image', 'inspect', 'layerlab-made:v1')) as [{ Id: string; RootFS: { Layers: string[] } }];
    expect({ id: inspected.Id, layers: inspected.RootFS.Layers }).toEqual({ id: image.id, layers: image.diffIds });
    expect(docker('run', '--rm', '--network', 'none', 'layerlab-made:v1')).toBe('from layerlab\n');
    expect(docker('run', '--rm', '--network', 'none', 'layerlab-made:v1', 'cat', '/built')).toBe('built\n');
    expect(
      spawnSync(DOCKER, ['run', '--rm', '--network', 'none', 'layerlab-made:v1', 'cat', '/etc/group'], { env: { ...process.env, ...daemon.env } })
        .status,
    ).not.toBe(0);
    docker('rmi', 'layerlab-made:v1');
  });
});
