import { argStep } from './arg.step.js';
import { cmdStep } from './cmd.step.js';
import { copyStep } from './copy.step.js';
import { entrypointStep } from './entrypoint.step.js';
import { envStep } from './env.step.js';
import { exposeStep } from './expose.step.js';
import { labelStep } from './label.step.js';
import { runStep } from './run.step.js';
import { shellStep } from './shell.step.js';
import type { InstructionStep, StepContext, StepInstruction, StepKind, StepPlan } from './step.js';
import { stopsignalStep } from './stopsignal.step.js';
import { userStep } from './user.step.js';
import { volumeStep } from './volume.step.js';
import { workdirStep } from './workdir.step.js';

export { mkdirChanges } from './workdir.step.js';
export type { LayerRecipe, StepContext, StepInstruction, StepPlan, StepProcess } from './step.js';

/** One module per instruction; the type makes a kind without one a compile error. */
const steps: { [K in StepKind]: InstructionStep<K> } = {
  ENV: envStep,
  LABEL: labelStep,
  ARG: argStep,
  CMD: cmdStep,
  ENTRYPOINT: entrypointStep,
  USER: userStep,
  STOPSIGNAL: stopsignalStep,
  EXPOSE: exposeStep,
  VOLUME: volumeStep,
  SHELL: shellStep,
  WORKDIR: workdirStep,
  COPY: copyStep,
  ADD: copyStep,
  RUN: runStep,
};

/** What an instruction after FROM does, from its module (`<kind>.step.ts`). */
export function planStep(ins: StepInstruction, ctx: StepContext): StepPlan | Promise<StepPlan> {
  // TypeScript cannot correlate `steps[ins.kind]` with `ins`; the mapped type above does.
  return (steps[ins.kind] as InstructionStep).plan(ins as never, ctx);
}
