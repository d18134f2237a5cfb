import { processWord } from '../shell-lex.js';
import type { InstructionStep } from './step.js';

/**
 * ARG: `--build-arg` wins, else the default — expanded with the ARGs before it, this
 * instruction's included — else, for a bare `ARG NAME`, the value of the meta ARG of
 * that name (Docker: a stage re-declares a global ARG to use it).
 */
export const argStep: InstructionStep<'ARG'> = {
  plan(ins, ctx) {
    const args = new Map(ctx.state.args);
    const parts: string[] = [];
    for (const a of ins.args) {
      const fallback = a.rawDefault === undefined ? ctx.metaArg(a.name) : processWord(a.rawDefault, ctx.vars(args), { escape: ctx.escape });
      const value = ctx.buildArgs[a.name] ?? fallback;
      args.set(a.name, value);
      parts.push(a.rawDefault === undefined ? a.name : `${a.name}=${value ?? ''}`);
    }
    return { text: `ARG ${parts.join(' ')}`, stage: { args } };
  },
};
