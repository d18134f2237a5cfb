import type { InstructionStep } from './step.js';

export const stopsignalStep: InstructionStep<'STOPSIGNAL'> = {
  plan(ins, ctx) {
    const signal = ctx.word(ins.raw);
    return { text: `STOPSIGNAL ${signal}`, config: { StopSignal: signal } };
  },
};
