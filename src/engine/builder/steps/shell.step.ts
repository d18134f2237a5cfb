import { goList } from '../created-by.js';
import type { InstructionStep } from './step.js';

/** SHELL: the shell form's interpreter from here on; kept in the image config, so a child image inherits it. */
export const shellStep: InstructionStep<'SHELL'> = {
  plan(ins) {
    return { text: `SHELL ${goList(ins.args)}`, stage: { shell: ins.args }, config: { Shell: ins.args } };
  },
};
