import { goQuoteList } from '../created-by.js';
import { commandArgv, type InstructionStep } from './step.js';

/** CMD: the default command; set in this stage, so a later ENTRYPOINT keeps it. */
export const cmdStep: InstructionStep<'CMD'> = {
  plan(ins, ctx) {
    const argv = commandArgv(ins, ctx.state.shell);
    return { text: `CMD ${goQuoteList(argv)}`, config: { Cmd: argv }, stage: { cmdSet: true } };
  },
};
