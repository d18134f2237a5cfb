import { goQuoteList } from '../created-by.js';
import { commandArgv, type InstructionStep } from './step.js';

export const entrypointStep: InstructionStep<'ENTRYPOINT'> = {
  plan(ins, ctx) {
    const argv = commandArgv(ins, ctx.state.shell);
    return {
      text: `ENTRYPOINT ${goQuoteList(argv)}`,
      // Docker: ENTRYPOINT resets a CMD inherited from the base image.
      config: ctx.state.cmdSet ? { Entrypoint: argv } : { Entrypoint: argv, Cmd: null },
    };
  },
};
