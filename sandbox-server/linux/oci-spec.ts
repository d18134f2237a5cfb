import { existsSync, readFileSync } from 'node:fs';
import type { ContainerSpec, ProcessSpec } from '../../src/engine/drivers/runtime.js';
import { ociResources } from './cgroups.js';
import { etcFileSource } from './etc-files.js';
import { ociIdMappings, type IdMapping } from './id-mapping.js';
import type { OciUser } from './oci-user.js';
import { seccompProfile } from './seccomp.js';

/** Docker's default capability set (moby `oci/caps/defaults.go`). */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Docker's default masked paths (moby `daemon/pkg/oci/defaults.go`): kernel information a container must not read. */
export const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap',
  '/sys/firmware',
  ...thermalThrottlePaths(),
];

/**
 * moby GHSA-6fw5-f8r9-fgfm: each possible CPU's `thermal_throttle` counters (a side channel),
 * masked where the host has them. `/sys/devices/system/cpu/possible` reads like `0-3,8`.
 */
function thermalThrottlePaths(): string[] {
  const possible = existsSync('/sys/devices/system/cpu/possible') ? readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim() : '';
  const cpus = possible
    .split(',')
    .filter(Boolean)
    .flatMap((range) => {
      const [from, to = from] = range.split('-').map(Number);
      return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
    });
  return cpus.map((cpu) => `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle`).filter((p) => existsSync(p));
}

/**
 * Docker's default read-only paths (kernel knobs a container must not turn), and one of ours,
 * stricter than Docker: on cgroup v1, runc 1.1 mounts /sys/fs/cgroup as a writable tmpfs
 * sized at half the host's memory (it keeps the mount's `ro` only for the hierarchies it
 * binds below), where a learner could pin gigabytes. runc makes a read-only path by a
 * recursive bind of it over itself, remounted read-only, inside the container: the
 * hierarchies stay visible and read-only, nothing is writable, and the tmpfs under it can
 * not be reached without CAP_SYS_ADMIN. On cgroup v2 the mount is read-only cgroup2 already.
 */
export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger', '/sys/fs/cgroup'];

/** The OCI `process` object of a container's init or of an exec. */
export function ociProcess(p: ProcessSpec, user: OciUser): Record<string, unknown> {
  // Docker: a non-root user keeps the bounding set but starts without effective caps.
  const caps = user.uid === 0 ? DEFAULT_CAPABILITIES : [];
  return {
    // runc makes the pty and relays it over its own stdio, which oci-runtime.ts puts on a pty (pty-wrapper.ts).
    terminal: p.terminal,
    user,
    args: p.args,
    env: p.env,
    cwd: p.cwd || '/',
    capabilities: { bounding: DEFAULT_CAPABILITIES, effective: caps, permitted: caps },
    // runc's default; raising it past the server's own hard limit would need CAP_SYS_RESOURCE.
    rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
    noNewPrivileges: true,
  };
}

/** config.json (OCI runtime spec 1.0.2) for a container whose rootfs is mounted at `<bundle>/rootfs`;
 * with `ids`, in a user namespace of that range (Docker's userns-remap). */
export function ociConfig(spec: ContainerSpec, user: OciUser, cgroupsPath: string, ids?: IdMapping): Record<string, unknown> {
  return {
    ociVersion: '1.0.2',
    process: ociProcess(spec.process, user),
    root: { path: 'rootfs', readonly: false },
    hostname: spec.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
      // Volumes (dir-volume-store.ts) and Docker's network files (writable binds of the bundle's copies,
      // etc-files.ts), parents first as moby's sortMounts puts them: a volume at /etc is under the etc
      // binds, never over them. runc resolves each destination inside the rootfs (securejoin) and makes
      // a missing mount point where it lands — the container's layer, or a volume.
      ...sortedByDepth([
        ...(spec.volumes ?? []).map((v) => ({
          destination: v.destination,
          type: 'bind',
          source: v.source,
          options: ['rbind', 'rprivate', 'nosuid', 'nodev', ...(v.readOnly ? ['ro'] : [])],
        })),
        ...(spec.etcFiles ?? []).map((f) => ({ destination: f.path, type: 'bind', source: etcFileSource(f.path), options: ['rbind', 'rprivate'] })),
      ]),
    ],
    linux: {
      // A new network namespace: runc brings up its loopback and nothing else.
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(ids ? [{ type: 'user' }] : [])],
      ...(ids ? ociIdMappings(ids) : {}),
      cgroupsPath,
      resources: ociResources(spec.limits),
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
      seccomp: seccompProfile(DEFAULT_CAPABILITIES),
    },
  };
}

/** moby sortMounts: by the number of path components, stable, so a parent's mount comes before its children's. */
function sortedByDepth<T extends { destination: string }>(mounts: T[]): T[] {
  const depth = (p: string) => p.split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(a.destination) - depth(b.destination));
}
