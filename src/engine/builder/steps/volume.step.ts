import { goList } from '../created-by.js';
import type { InstructionStep } from './step.js';

export const volumeStep: InstructionStep<'VOLUME'> = {
  plan(ins, ctx) {
    const paths = ins.paths.map((p) => ctx.word(p));
    const volumes = { ...(ctx.state.config.Volumes ?? {}) };
    for (const p of paths) volumes[p] = {};
    return { text: `VOLUME ${goList(paths)}`, config: { Volumes: volumes } };
  },
};
