import type { InstructionStep } from './step.js';

/** LABEL: keys and values expanded, merged over the inherited labels. */
export const labelStep: InstructionStep<'LABEL'> = {
  plan(ins, ctx) {
    const pairs = ins.pairs.map(([k, v]) => [ctx.word(k), ctx.word(v)] as const);
    return {
      text: `LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`,
      config: { Labels: { ...(ctx.state.config.Labels ?? {}), ...Object.fromEntries(pairs) } },
    };
  },
};
