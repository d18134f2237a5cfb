/**
 * The containers' seccomp profile: allow by default, EPERM for what lets a process
 * reach past its container — a deny list in the spirit of Docker's default profile
 * (which is an allow list; the calls below are the ones it leaves out for a container
 * without CAP_SYS_ADMIN). runc installs the filter last, right before it execs the
 * process, so its own mount/pivot_root/setns during setup are not affected.
 */
export interface SeccompSpec {
  defaultAction: 'SCMP_ACT_ALLOW';
  architectures: string[];
  syscalls: { names: string[]; action: 'SCMP_ACT_ERRNO'; errnoRet: number; args?: { index: number; value: number; valueTwo: number; op: 'SCMP_CMP_MASKED_EQ' }[] }[];
}

const EPERM = 1;
const ENOSYS = 38;

/** Calls no container process needs: mounts, modules, kexec, keyrings, tracing, new namespaces, clocks. */
export const DENIED_SYSCALLS = [
  'mount', 'umount2', 'pivot_root', 'move_mount', 'open_tree', 'fsopen', 'fsconfig', 'fsmount', 'fspick',
  'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module',
  'bpf', 'perf_event_open', 'ptrace', 'process_vm_readv', 'process_vm_writev',
  'keyctl', 'add_key', 'request_key',
  'swapon', 'swapoff', 'reboot', 'acct', 'quotactl',
  'setns', 'unshare',
  'settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex',
  'open_by_handle_at', 'name_to_handle_at', 'lookup_dcookie', 'userfaultfd', 'syslog',
] as const;

/** clone(2) flags that create namespaces (CLONE_NEWNS … CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME). */
const CLONE_NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080];

const ARCHITECTURES: Record<string, string[]> = {
  x64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

export function seccompProfile(arch: string = process.arch): SeccompSpec {
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ARCHITECTURES[arch] ?? [],
    syscalls: [
      { names: [...DENIED_SYSCALLS], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
      // One rule per flag: seccomp compares with AND, so "any of these bits" is several rules.
      ...CLONE_NAMESPACE_FLAGS.map((flag) => ({
        names: ['clone'],
        action: 'SCMP_ACT_ERRNO' as const,
        errnoRet: EPERM,
        args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' as const }],
      })),
      // Docker: clone3's flags live in memory seccomp can not read, so it answers
      // ENOSYS and libc falls back to clone(2), which the rules above can check.
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
    ],
  };
}
