import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { createNormaliser } from '../conformance/normalise.js';
import { useLinuxEngine } from '../support/linux-engine.js';
import { missingLinuxPrereqs, requirePrereqs } from '../support/prereqs.js';

const run = requirePrereqs('linux', missingLinuxPrereqs());

/** What every Linux procfs has at its top, whatever the kernel's config (proc(5)). */
const USUAL = ['cmdline', 'cpuinfo', 'filesystems', 'loadavg', 'meminfo', 'mounts', 'net', 'self', 'stat', 'sys', 'thread-self', 'uptime', 'version'];

/**
 * A busybox container's /proc on the simulator against the kernel's on runc: the same
 * commands on both backends. Where the output cannot depend on the kernel's build (which
 * entries its config adds, the PIDs runc's own forks use up), it is compared exactly after
 * the conformance cases' normalising (dates); the top-level listing is compared as sets.
 */
describe.skipIf(!run)("a container's /proc on the simulator is the kernel's (root)", () => {
  const linux = useLinuxEngine('layerlab-proc-');
  let sim: Engine;
  beforeAll(async () => {
    sim = await createSimEngine();
  });
  afterAll(() => sim?.dispose());

  const both = async (line: string) => {
    const [s, l] = [await sim.exec(line), await linux.engine.exec(line)];
    return { sim: s, linux: l };
  };

  it("ls /proc lists the init's PID dir and the entries the kernel lists", async () => {
    const { sim: s, linux: l } = await both('docker run --rm busybox ls /proc');
    const names = (out: string) => out.trim().split('\n');
    const [simNames, kernelNames] = [names(s.stdout), names(l.stdout)];
    expect(simNames.filter((n) => /^\d+$/.test(n))).toEqual(['1']);
    expect(kernelNames.filter((n) => /^\d+$/.test(n))).toEqual(['1']);
    expect(simNames).toEqual(expect.arrayContaining(USUAL));
    expect(kernelNames).toEqual(expect.arrayContaining(simNames));
  });

  for (const line of [
    // The PID dirs are the container's live processes: sh, and the ls reading them. Not
    // `ls /proc | grep`: whether grep is forked yet when ls reads /proc is a race on the
    // kernel (2 or 3), so the listing is written out first and counted after ls has exited.
    'docker run --rm busybox sh -c \'ls /proc > /tmp/l; grep -c "^[0-9]" /tmp/l\'',
    // cmdline is argv, each NUL-terminated: 3 + 3 + 21 + 21 bytes.
    "docker run --rm busybox sh -c 'wc -c /proc/1/cmdline; cat /proc/self/comm'",
    'docker run --rm busybox ls -l /proc/self /proc/thread-self /proc/mounts /proc/net /etc/mtab',
    'docker run --rm busybox ls -ld /proc/1 /proc/1/task/1 /proc/cpuinfo',
    "docker run --rm busybox sh -c 'touch /proc/x; mkdir /proc/y; rm /proc/cpuinfo; echo hi > /proc/version'",
  ]) {
    it(line, async () => {
      const { sim: s, linux: l } = await both(line);
      const [ns, nl] = [createNormaliser(), createNormaliser()];
      expect({ stdout: ns(s.stdout), stderr: ns(s.stderr), exitCode: s.exitCode }).toEqual({
        stdout: nl(l.stdout),
        stderr: nl(l.stderr),
        exitCode: l.exitCode,
      });
    });
  }
});
