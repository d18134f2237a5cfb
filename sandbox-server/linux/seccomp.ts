import { release } from 'node:os';
import dockerDefault from './seccomp/docker-default.json';

/**
 * The containers' seccomp filter: Docker's default profile (an allowlist; every other call
 * answers EPERM), kept as data in `seccomp/docker-default.json` (origin and licence in
 * `seccomp/README.md`) and turned into the OCI `linux.seccomp` the way moby's
 * `profiles/seccomp` `setupSeccomp` does: the architectures of this machine, and each
 * rule's `includes`/`excludes` (capabilities, architectures, minimum kernel) decided here,
 * against the container's capabilities. runc installs the filter last, right before it
 * execs the process, so its own mount/pivot_root/setns during setup are not affected.
 */

type Action = 'SCMP_ACT_ALLOW' | 'SCMP_ACT_ERRNO';

interface Filter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

interface ProfileArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}

/** One rule of a Docker seccomp profile (moby `profiles/seccomp.Syscall`). */
interface ProfileSyscall {
  names: string[];
  action: Action;
  errnoRet?: number;
  args?: ProfileArg[];
  comment?: string;
  includes?: Filter;
  excludes?: Filter;
}

/** A Docker seccomp profile file (moby `profiles/seccomp.Seccomp`). */
export interface DockerSeccompProfile {
  defaultAction: Action;
  defaultErrnoRet?: number;
  archMap: { architecture: string; subArchitectures: string[] | null }[];
  syscalls: ProfileSyscall[];
}

/** The OCI runtime spec's `linux.seccomp`. */
export interface SeccompSpec {
  defaultAction: Action;
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls: { names: string[]; action: Action; errnoRet?: number; args?: { index: number; value: number; valueTwo: number; op: string }[] }[];
}

/** Where the filter is applied: the Go arch names the profile's `arches` use, the kernel, the capabilities. */
export interface SeccompTarget {
  /** Node's `process.arch` (`x64`, `arm64`, …). */
  arch: string;
  /** `uname -r`, e.g. `6.18.44`. */
  kernel: string;
  /** The container's bounding capabilities (moby evaluates the rules against `Process.Capabilities.Bounding`). */
  capabilities: readonly string[];
}

export const DOCKER_DEFAULT_PROFILE = dockerDefault as DockerSeccompProfile;

// moby profiles/seccomp: `runtime.GOARCH` names the architectures in `includes.arches`,
// and `goToNative` picks the archMap entry of the native architecture.
const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  ia32: '386',
  arm: 'arm',
  s390x: 's390x',
  ppc64: 'ppc64le',
  riscv64: 'riscv64',
  loong64: 'loong64',
};
const NATIVE_SCMP_ARCH: Record<string, string> = {
  amd64: 'SCMP_ARCH_X86_64',
  arm64: 'SCMP_ARCH_AARCH64',
  '386': 'SCMP_ARCH_X86',
  arm: 'SCMP_ARCH_ARM',
  s390x: 'SCMP_ARCH_S390X',
  ppc64le: 'SCMP_ARCH_PPC64LE',
  riscv64: 'SCMP_ARCH_RISCV64',
  loong64: 'SCMP_ARCH_LOONGARCH64',
};

/** `major.minor` of a kernel release; moby's `kernel_linux.go` compares only these two. */
function kernelVersion(text: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

function kernelAtLeast(kernel: string, min: string): boolean {
  const [a, b] = kernelVersion(kernel);
  const [x, y] = kernelVersion(min);
  return a > x || (a === x && b >= y);
}

/** moby profiles/seccomp `setupSeccomp`: whether a rule applies to this target. */
function applies(rule: ProfileSyscall, goArch: string, t: SeccompTarget): boolean {
  const ex = rule.excludes ?? {};
  if (ex.arches?.includes(goArch)) return false;
  if (ex.caps?.some((c) => t.capabilities.includes(c))) return false;
  if (ex.minKernel && kernelAtLeast(t.kernel, ex.minKernel)) return false;
  const inc = rule.includes ?? {};
  if (inc.arches?.length && !inc.arches.includes(goArch)) return false;
  if (inc.caps?.length && !inc.caps.every((c) => t.capabilities.includes(c))) return false;
  if (inc.minKernel && !kernelAtLeast(t.kernel, inc.minKernel)) return false;
  return true;
}

/** The OCI `linux.seccomp` of a Docker profile for one container. */
export function seccompSpec(profile: DockerSeccompProfile, t: SeccompTarget): SeccompSpec {
  const goArch = GO_ARCH[t.arch] ?? t.arch;
  const native = NATIVE_SCMP_ARCH[goArch];
  const entry = profile.archMap.find((a) => a.architecture === native);
  const spec: SeccompSpec = {
    defaultAction: profile.defaultAction,
    architectures: entry ? [entry.architecture, ...(entry.subArchitectures ?? [])] : [],
    syscalls: profile.syscalls
      .filter((rule) => applies(rule, goArch, t))
      .map((rule) => ({
        names: rule.names,
        action: rule.action,
        ...(rule.errnoRet !== undefined ? { errnoRet: rule.errnoRet } : {}),
        ...(rule.args ? { args: rule.args.map((a) => ({ index: a.index, value: a.value, valueTwo: a.valueTwo ?? 0, op: a.op })) } : {}),
      })),
  };
  if (profile.defaultErrnoRet !== undefined) spec.defaultErrnoRet = profile.defaultErrnoRet;
  return spec;
}

/** Docker's default profile for a container with these bounding capabilities, on this machine. */
export function seccompProfile(capabilities: readonly string[]): SeccompSpec {
  return seccompSpec(DOCKER_DEFAULT_PROFILE, { arch: process.arch, kernel: release(), capabilities });
}
