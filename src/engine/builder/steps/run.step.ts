import { mergeEnv } from '../../containers/process-args.js';
import { commandArgv, type InstructionStep } from './step.js';

/**
 * RUN: a process in a container on the stage's snapshot, with the stage's config as the
 * container's; the ARGs the stage's ENV does not set are in its environment too, and
 * in `created_by` (`|1 A=b`). Its cache input is the process, never its output.
 */
export const runStep: InstructionStep<'RUN'> = {
  plan(ins, ctx) {
    const { config, shell, args } = ctx.state;
    const argv = commandArgv(ins, shell);
    const argEnv = [...args]
      .filter(([k, v]) => v !== undefined && !(config.Env ?? []).some((e) => e.startsWith(`${k}=`)))
      .map(([k, v]) => `${k}=${v}`);
    const env = mergeEnv(argEnv, config.Env ?? []);
    const cwd = config.WorkingDir || '/';
    const user = config.User ?? '';
    return {
      text: argv.join(' '),
      runArgs: argEnv,
      cacheInput: { k: 'RUN', argv, env, cwd, user },
      layer: { kind: 'run', process: { args: argv, env, cwd, user } },
    };
  },
};
