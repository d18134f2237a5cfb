import { expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';

/**
 * What a learner's `-v`, `--mount` and `volume create` may never do, asked of an engine on
 * any backend: each is refused with a stable code before anything is made — no volume, no
 * container — so a name never reaches a store and a target never reaches the runtime.
 */
export function volumeRefusals(engine: () => Engine): void {
  const refused = async (line: string, code: string) => {
    const r = await engine().exec(line);
    expect({ line, code: r.error?.code, exitCode: r.exitCode === 0 ? 0 : 'refused' }).toEqual({ line, code, exitCode: 'refused' });
    return r;
  };
  const nothingMade = async () => {
    expect((await engine().exec('docker volume ls -q')).stdout).toBe('');
    expect((await engine().exec('docker ps -aq')).stdout).toBe('');
  };

  it('refuses volume names that leave the store: .., /, NUL, a leading dot or dash, past NAME_MAX', async () => {
    for (const name of ['..', '.', '../escape', 'a/b', '/abs', '.hidden', '-dash', 'x', 'sp ace'])
      await refused(`docker volume create '--name=${name}'`, 'INVALID_VOLUME_NAME');
    await refused(`docker volume create ${'v'.repeat(256)}`, 'INVALID_VOLUME_NAME');
    await refused(`docker run --mount type=volume,src=x!y,dst=/d busybox true`, 'INVALID_VOLUME_NAME');
    // A NUL cannot be typed on a command line (the engine refuses it first); the name rule refuses it too.
    const { checkVolumeName } = await import('../../src/engine/volumes/volume-name.js');
    expect(() => checkVolumeName('ok\0../../etc')).toThrow(/invalid characters/);
    // NAME_MAX itself is a name.
    expect((await engine().exec(`docker volume create ${'v'.repeat(255)}`)).exitCode).toBe(0);
    expect((await engine().exec(`docker volume rm ${'v'.repeat(255)}`)).exitCode).toBe(0);
    await nothingMade();
  });

  it('refuses host directories: -v /host:/p, ./rel, ~, ../up and --mount type=bind', async () => {
    for (const spec of ['/etc:/host', './here:/d', '../up:/d', '~/x:/d', '/:/root-of-host'])
      await refused(`docker run -v ${spec} busybox true`, 'BIND_MOUNT_REFUSED');
    await refused('docker create --mount type=bind,source=/etc,target=/x busybox', 'BIND_MOUNT_REFUSED');
    await refused('docker create --mount src=/etc,dst=/x busybox', 'BIND_MOUNT_REFUSED');
    await nothingMade();
  });

  it('refuses a target that is /, relative, or where the runtime mounts proc, sysfs and /dev — however it is spelt', async () => {
    await refused('docker run -v data:/ busybox true', 'INVALID_VOLUME_SPEC');
    await refused('docker run -v data:/x/.. busybox true', 'INVALID_VOLUME_SPEC');
    await refused('docker run -v data:relative busybox true', 'INVALID_VOLUME_SPEC');
    await refused('docker run -v /anon/../.. busybox true', 'INVALID_VOLUME_SPEC');
    for (const target of ['/proc', '/proc/sys', '/sys', '/sys/fs/cgroup', '/dev', '/dev/shm', '/tmp/../proc', '//proc/', '/./sys'])
      await refused(`docker run -v data:${target} busybox true`, 'RESERVED_MOUNT_PATH');
    await refused('docker run --mount type=volume,dst=/proc/1 busybox true', 'RESERVED_MOUNT_PATH');
    await refused('docker run -v a:b:c:d busybox true', 'INVALID_VOLUME_SPEC');
    await refused('docker run -v data:/d:rw,exec busybox true', 'INVALID_VOLUME_SPEC');
    await nothingMade();
  });

  it("a volume's target resolved through a link of the image is runc's to place inside the rootfs, never over /proc", async () => {
    const docker = (line: string) => engine().exec(line);
    await docker("docker run --name linker busybox sh -c 'ln -s /proc /data'");
    expect((await docker('docker commit linker linked')).exitCode).toBe(0);
    const r = await docker('docker run --rm -v lv:/data linked cat /proc/self/stat');
    // runc refuses a bind mount onto /proc (checkProcMount on the resolved path): no mount ever lands there.
    expect({ code: r.error?.code, exitCode: r.exitCode }).toEqual({ code: 'MOUNT_REFUSED', exitCode: 125 });
    expect(r.stderr).toMatch(
      /^docker: Error response from daemon: failed to create task for container: error during container init: error mounting .* to rootfs at "\/data": ".*\/rootfs\/proc" cannot be mounted because it is not of type proc\n/,
    );
  });
}
