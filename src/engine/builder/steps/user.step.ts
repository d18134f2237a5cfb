import type { InstructionStep } from './step.js';

/** USER: the name or id as written (expanded); the runtime resolves it in the container. */
export const userStep: InstructionStep<'USER'> = {
  plan(ins, ctx) {
    const user = ctx.word(ins.raw);
    return { text: `USER ${user}`, config: { User: user } };
  },
};
