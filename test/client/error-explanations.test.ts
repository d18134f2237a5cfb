import { describe, expect, it } from 'vitest';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { FakeClock } from '../engine/support/fake-clock.js';
import { seeded } from '../engine/support/sim-engine.js';
import en from '../../src/i18n/en.json';
import ko from '../../src/i18n/ko.json';

/**
 * The terminal explains a failed command by its typed error's code (`error.<CODE>`).
 * Each explanation is made to fire here by what the engine really does, so that none
 * waits for a message the engine never prints.
 */
const setup = [
  'docker create --name web busybox sleep 100',
  'docker run -d --name up busybox sleep 100',
  'docker run -d --name paused busybox sleep 100',
  'docker pause paused',
  'docker create --name holder -v held:/d busybox',
];
const cases: [code: string, line: string][] = [
  ['NO_SUCH_CONTAINER', 'docker stop nope'],
  ['AMBIGUOUS_CONTAINER', 'docker rm -f {shared ID prefix}'],
  ['CONTAINER_NAME_CONFLICT', 'docker create --name web busybox'],
  ['CONTAINER_RUNNING_REMOVE', 'docker rm up'],
  ['CONTAINER_PAUSED_REMOVE', 'docker rm paused'],
  ['CONTAINER_PAUSED_EXEC', 'docker exec paused ls'],
  ['CONTAINER_NOT_RUNNING', 'docker exec web ls'],
  ['CONTAINER_START_FAILED', 'docker run busybox unam'],
  ['NO_SUCH_IMAGE', 'docker run nope'],
  ['INVALID_REFERENCE', 'docker run Busybox'],
  ['IMAGE_CONFLICT', 'docker rmi busybox'],
  ['UNKNOWN_FLAG', 'docker run --nam x busybox'],
  ['FLAG_NEEDS_ARGUMENT', 'docker run busybox --name'.replace('busybox --name', '--name')],
  ['UNKNOWN_COMMAND', 'docker rnu'],
  ['UNSUPPORTED_COMMAND', 'docker cp web:/etc/hostname .'],
  ['MISSING_ARGUMENT', 'docker stop'],
  ['TOO_MANY_ARGUMENTS', 'docker ps extra'],
  ['CONTAINER_LIMIT', 'docker run busybox true'],
  ['INVALID_RESOURCE_LIMIT', 'docker run -m 1 busybox true'],
  ['RESOURCE_LIMIT_ABOVE_CEILING', 'docker run --pids-limit -1 busybox true'],
  ['REGISTRY_UNREACHABLE', 'docker pull example.com/app'],
  ['MANIFEST_NOT_FOUND', 'docker pull localhost:5000/nope'],
  ['NO_LOCAL_IMAGE', 'docker push localhost:5000/nope'],
  ['VOLUME_IN_USE', 'docker volume rm held'],
  ['NO_SUCH_VOLUME', 'docker volume rm nope'],
  ['BIND_MOUNT_REFUSED', 'docker run -v /etc:/host busybox true'],
  ['INVALID_VOLUME_SPEC', 'docker run -v data:/ busybox true'],
];

describe("explanations key on the engine's error codes", () => {
  it.each(cases)('%s fires on `%s`', async (code, line) => {
    const clock = new FakeClock();
    const limits = code === 'CONTAINER_LIMIT' ? { maxContainers: setup.length - 1 } : {};
    const engine = await createSimEngine({ clock, random: seeded(), limits });
    const exec = (l: string) => clock.settle(engine.exec(l));
    for (const s of setup) expect((await exec(s)).exitCode).toBe(0);
    let prefix: string | undefined;
    while (line.includes('{shared ID prefix}') && prefix === undefined) {
      await exec('docker create busybox');
      const ids = (await exec('docker ps -aq')).stdout.split('\n').filter(Boolean);
      prefix = ids.map((id) => id[0]!).find((c, i, all) => all.indexOf(c) !== i);
    }
    const result = await exec(line.replace('{shared ID prefix}', prefix ?? ''));
    expect(result.exitCode).not.toBe(0);
    expect(result.error?.code).toBe(code);
    await engine.dispose();
  });

  it('has an explanation in both languages for every code the test makes fire, and none that never fires', () => {
    const explained = (labels: Record<string, string>) =>
      Object.keys(labels)
        .filter((k) => k.startsWith('error.'))
        .sort();
    const fired = cases.map(([code]) => `error.${code}`).sort();
    expect(explained(en)).toEqual(fired);
    expect(explained(ko)).toEqual(fired);
  });

  it("carries no error on success, and none for a program's own failure inside a container", async () => {
    const clock = new FakeClock();
    const engine = await createSimEngine({ clock, random: seeded() });
    expect(await clock.settle(engine.exec('docker run busybox true'))).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    const failed = await clock.settle(engine.exec('docker run busybox cat /nope'));
    expect(failed.exitCode).toBe(1);
    expect(failed.error).toBeUndefined();
    await engine.dispose();
  });
});
