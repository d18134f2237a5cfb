/**
 * The VM-versus-container picture as data, built up one step at a time: 0 hardware,
 * 1 the host OS, 2 a hypervisor beside a container engine, 3 guest OSes each with
 * their own kernel beside containers that share the host's. Grid units; y counts
 * up from the hardware.
 */
export type VmStep = 0 | 1 | 2 | 3;
export const VM_STEPS = 4;

export type BlockRole = 'hardware' | 'host-os' | 'hypervisor' | 'engine' | 'guest-os' | 'bins' | 'app';

export interface StackBlock {
  /** Stable across steps, so a renderer keeps a block and animates only what appears. */
  key: string;
  side: 'vm' | 'container';
  role: BlockRole;
  /** 1-based guest or container number for the per-workload blocks, else null. */
  n: number | null;
  /** The step that adds this block. */
  step: VmStep;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VmVsContainer {
  step: VmStep;
  /** Blocks visible at `step`, bottom-up. */
  blocks: StackBlock[];
  /** Each side's extent, for scaling. */
  width: number;
  height: number;
  /** How many kernels each side runs at this step: the point of the picture. */
  kernels: { vm: number; container: number };
}

export function toVmVsContainer(step: number, workloads = 3): VmVsContainer {
  const s = Math.max(0, Math.min(VM_STEPS - 1, Math.trunc(step))) as VmStep;
  const n = Math.max(1, Math.trunc(workloads));
  const all: StackBlock[] = [];
  const gap = 1;
  for (const side of ['vm', 'container'] as const) {
    const x0 = side === 'vm' ? 0 : n + gap;
    const full = (role: BlockRole, y: number, at: VmStep): StackBlock => ({
      key: `${side}:${role}`,
      side,
      role,
      n: null,
      step: at,
      x: x0,
      y,
      width: n,
      height: 1,
    });
    all.push(full('hardware', 0, 0), full('host-os', 1, 1), full(side === 'vm' ? 'hypervisor' : 'engine', 2, 2));
    for (let i = 0; i < n; i++) {
      // A VM carries a whole guest OS (its own kernel); a container only its app's files.
      const roles: BlockRole[] = side === 'vm' ? ['guest-os', 'bins', 'app'] : ['bins', 'app'];
      roles.forEach((role, k) =>
        all.push({ key: `${side}:${role}:${i + 1}`, side, role, n: i + 1, step: 3, x: x0 + i, y: 3 + k, width: 1, height: 1 }),
      );
    }
  }
  const blocks = all.filter((b) => b.step <= s);
  return {
    step: s,
    blocks,
    width: 2 * n + gap,
    height: 6,
    kernels: { vm: s >= 1 ? 1 + (s >= 3 ? n : 0) : 0, container: s >= 1 ? 1 : 0 },
  };
}
