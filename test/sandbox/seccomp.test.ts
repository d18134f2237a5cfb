import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DOCKER_DEFAULT_PROFILE, seccompSpec, type DockerSeccompProfile } from '../../sandbox-server/linux/seccomp.js';
import { DEFAULT_CAPABILITIES, ociConfig } from '../../sandbox-server/linux/oci-spec.js';

const x64 = { arch: 'x64', kernel: '6.18.44-fc', capabilities: DEFAULT_CAPABILITIES };
const allowed = (spec: ReturnType<typeof seccompSpec>) =>
  new Set(spec.syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW' && !s.args).flatMap((s) => s.names));

describe("Docker's default seccomp profile as the OCI linux.seccomp", () => {
  const spec = seccompSpec(DOCKER_DEFAULT_PROFILE, x64);

  it('is an allowlist: everything else answers EPERM', () => {
    expect(spec).toMatchObject({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 1 });
    expect(allowed(spec).has('read')).toBe(true);
    // Engine 25 took io_uring out; the kernel keyring and modules were never in.
    for (const name of [
      'io_uring_setup',
      'io_uring_enter',
      'io_uring_register',
      'keyctl',
      'add_key',
      'request_key',
      'init_module',
      'finit_module',
      'kexec_load',
      'userfaultfd',
    ]) {
      expect(
        spec.syscalls.some((s) => s.names.includes(name)),
        name,
      ).toBe(false);
    }
  });

  it("takes this machine's architecture with its 32-bit ones, and the rules for it only", () => {
    expect(spec.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(allowed(spec).has('arch_prctl')).toBe(true);
    expect(allowed(spec).has('set_tls')).toBe(false);
    const arm = seccompSpec(DOCKER_DEFAULT_PROFILE, { ...x64, arch: 'arm64' });
    expect(arm.architectures).toEqual(['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
    expect([allowed(arm).has('set_tls'), allowed(arm).has('arch_prctl')]).toEqual([true, false]);
  });

  it("decides the capability rules against the container's capabilities", () => {
    // Docker's default set has no CAP_SYS_ADMIN: no mount, unshare or setns; clone only without
    // namespace flags; clone3 answers ENOSYS so that libc falls back to clone.
    for (const name of ['mount', 'umount2', 'unshare', 'setns', 'bpf', 'perf_event_open']) expect(allowed(spec).has(name), name).toBe(false);
    expect(spec.syscalls.filter((s) => s.names.includes('clone'))).toEqual([
      { names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }] },
    ]);
    expect(spec.syscalls.find((s) => s.names.includes('clone3'))).toEqual({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
    // CAP_SYS_CHROOT is in the default set.
    expect(allowed(spec).has('chroot')).toBe(true);

    const admin = seccompSpec(DOCKER_DEFAULT_PROFILE, { ...x64, capabilities: [...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN'] });
    expect(['mount', 'unshare', 'setns', 'clone', 'clone3'].every((n) => allowed(admin).has(n))).toBe(true);
    expect(admin.syscalls.some((s) => s.action === 'SCMP_ACT_ERRNO')).toBe(false);
    const none = seccompSpec(DOCKER_DEFAULT_PROFILE, { ...x64, capabilities: [] });
    expect(allowed(none).has('chroot')).toBe(false);
  });

  it('keeps a rule whose minimum kernel this kernel meets, and only then', () => {
    const ptraceRules = (kernel: string) =>
      seccompSpec(DOCKER_DEFAULT_PROFILE, { ...x64, kernel }).syscalls.filter((s) => s.names.includes('ptrace')).length;
    expect([ptraceRules('6.18.44'), ptraceRules('4.8.0'), ptraceRules('4.7.10'), ptraceRules('3.19.0')]).toEqual([1, 1, 0, 0]);
    const profile: DockerSeccompProfile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      archMap: [],
      syscalls: [{ names: ['newcall'], action: 'SCMP_ACT_ALLOW', excludes: { minKernel: '5.10' } }],
    };
    expect(seccompSpec(profile, { ...x64, kernel: '5.4.0' }).syscalls).toHaveLength(1);
    expect(seccompSpec(profile, { ...x64, kernel: '5.10.1' }).syscalls).toHaveLength(0);
  });

  it('is what a container config carries', () => {
    const config = ociConfig(
      { id: 'c', hostname: 'c', rootfs: [], process: { args: ['true'], env: [], cwd: '/', terminal: false }, limits: {} },
      { uid: 0, gid: 0 },
      '/layerlab/c',
    ) as { linux: { seccomp: unknown } };
    expect(config.linux.seccomp).toEqual(
      seccompSpec(DOCKER_DEFAULT_PROFILE, { arch: process.arch, kernel: release(), capabilities: DEFAULT_CAPABILITIES }),
    );
  });
});
