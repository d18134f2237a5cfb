import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { volumeRefusals } from '../engine/volume-refusals.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { useLinuxSandboxApp } from '../support/linux-sandbox-app.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';
import { command, createSession, type Created } from './api-harness.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());
const MiB = 1024 * 1024;
/** Small, so a volume fills it with a few MiB; big enough for a session's start. */
const SESSION_DISK = 24 * MiB;

describe.skipIf(!run)('volumes on runc (root)', () => {
  describe('refusals', () => {
    const linux = useLinuxEngine('layerlab-volumes-');
    volumeRefusals(() => linux.engine as Engine);
  });

  describe('inside its session only', () => {
    const sandbox = useLinuxSandboxApp('layerlab-volumes-api-', { stateBytes: SESSION_DISK, maxSessions: 4 });
    let alice: Created;
    let bob: Created;
    const docker = async (who: Created, line: string) =>
      (await command(sandbox.app, who, line)).json<{ stdout: string; stderr: string; exitCode: number }>();
    const root = (who: Created) => join(sandbox.stateDir, 'sessions', who.id);

    beforeAll(async () => {
      alice = await createSession(sandbox.app);
      bob = await createSession(sandbox.app);
    });

    it("keeps a volume under its session's own root: another session's volume of the same name is another volume", async () => {
      expect((await docker(alice, "docker run --rm -v shared:/d busybox sh -c 'echo alice-secret > /d/s'")).exitCode).toBe(0);
      expect(readFileSync(join(root(alice), 'volumes', 'shared', '_data', 's'), 'utf8')).toBe('alice-secret\n');
      const b = await docker(bob, 'docker run --rm -v shared:/d busybox sh -c "ls -A /d; cat /d/s"');
      expect(b).toMatchObject({ stdout: '', exitCode: 1 });
      expect(b.stderr).toContain("can't open '/d/s'");
      expect((await docker(bob, 'docker volume ls -q')).stdout).toBe('shared\n');
      // No name reaches another session's directory: the path's words are refused before any store sees them.
      for (const name of [`../../${alice.id}/volumes/shared`, `..%2F${alice.id}`])
        expect((await docker(bob, `docker run --rm -v '${name}:/d' busybox ls /d`)).exitCode).toBe(125);
    });

    it("counts a volume against the session's disk: filling it is ENOSPC in the container, and the neighbour runs on", async () => {
      const r = await docker(alice, `docker run --rm -v big:/big busybox dd if=/dev/zero of=/big/f bs=1M count=${(2 * SESSION_DISK) / MiB}`);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/No space left on device/);
      expect((await docker(bob, 'docker run --rm busybox echo ok')).stdout).toBe('ok\n');
      // Freed by removing the volume: the disk is usable again.
      expect((await docker(alice, 'docker volume rm big')).exitCode).toBe(0);
      expect((await docker(alice, "docker run --rm -v small:/s busybox sh -c 'echo fits > /s/f && cat /s/f'")).stdout).toBe('fits\n');
    });

    it('removes the volumes with the session', async () => {
      const dir = join(root(alice), 'volumes', 'shared');
      expect(existsSync(dir)).toBe(true);
      const res = await sandbox.app.inject({ method: 'DELETE', url: `/api/sessions/${alice.id}`, headers: alice.auth });
      expect(res.statusCode).toBeLessThan(300);
      expect(existsSync(dir)).toBe(false);
      expect(existsSync(root(alice))).toBe(false);
      expect((await docker(bob, 'docker volume ls -q')).stdout).toBe('shared\n');
    });
  });
});
