import { mergeEnv } from '../../containers/process-args.js';
import type { InstructionStep } from './step.js';

/** ENV: each value expanded with the variables before it; a key set again replaces its value. */
export const envStep: InstructionStep<'ENV'> = {
  plan(ins, ctx) {
    const pairs = ins.pairs.map(([k, v]) => `${k}=${ctx.word(v)}`);
    return { text: `ENV ${pairs.join(' ')}`, config: { Env: mergeEnv(ctx.state.config.Env ?? [], pairs) } };
  },
};
