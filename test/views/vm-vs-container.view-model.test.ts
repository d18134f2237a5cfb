import { describe, expect, it } from 'vitest';
import { toVmVsContainer } from '../../src/views/vm-vs-container.view-model.js';

describe('toVmVsContainer', () => {
  it('builds both stacks up one step at a time, keeping the blocks already shown', () => {
    const roles = (step: number) => toVmVsContainer(step).blocks.map((b) => b.key);
    expect(roles(0)).toEqual(['vm:hardware', 'container:hardware']);
    expect(roles(1)).toEqual(['vm:hardware', 'vm:host-os', 'container:hardware', 'container:host-os']);
    expect(roles(2)).toEqual(expect.arrayContaining(['vm:hypervisor', 'container:engine']));
    for (let s = 1; s < 4; s++) expect(roles(s)).toEqual(expect.arrayContaining(roles(s - 1)));
  });

  it('gives each VM a guest OS and each container only its files, over one shared kernel', () => {
    const m = toVmVsContainer(3, 3);
    expect(m.blocks.filter((b) => b.role === 'guest-os').map((b) => b.side)).toEqual(['vm', 'vm', 'vm']);
    expect(m.blocks.filter((b) => b.side === 'container' && b.n !== null).map((b) => b.role)).toEqual(['bins', 'app', 'bins', 'app', 'bins', 'app']);
    expect(m.kernels).toEqual({ vm: 4, container: 1 });
    expect(toVmVsContainer(1).kernels).toEqual({ vm: 1, container: 1 });
  });

  it('lays blocks side by side without overlap, and clamps the step', () => {
    const m = toVmVsContainer(3, 2);
    const cells = m.blocks.flatMap((b) => Array.from({ length: b.width }, (_, i) => `${b.x + i},${b.y}`));
    expect(new Set(cells).size).toBe(cells.length);
    for (const b of m.blocks) expect(b.x + b.width).toBeLessThanOrEqual(m.width);
    expect(toVmVsContainer(9).step).toBe(3);
    expect(toVmVsContainer(-2).step).toBe(0);
  });
});
