import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/engine/builder/dockerfile.js';
import { RootfsView } from '../../../src/engine/builder/rootfs-view.js';
import { processWord, processWords } from '../../../src/engine/builder/shell-lex.js';
import type { StageState } from '../../../src/engine/builder/stage-state.js';
import { mkdirChanges, planStep, type StepContext } from '../../../src/engine/builder/steps/index.js';
import type { Change } from '../../../src/engine/layer/change.js';

function stage(over: Partial<StageState> = {}): StageState {
  return {
    config: {},
    history: [],
    diffIds: [],
    chain: [],
    architecture: 'amd64',
    os: 'linux',
    shell: ['/bin/sh', '-c'],
    args: new Map(),
    cmdSet: false,
    key: 'k',
    ...over,
  };
}

/** A step's context on `state`, as the builder gives it (no filesystem: the steps here read none). */
function context(state: StageState, buildArgs: Record<string, string> = {}): StepContext {
  const vars = (args: ReadonlyMap<string, string | undefined> = state.args) => {
    const out = new Map<string, string>();
    for (const [k, v] of args) if (v !== undefined) out.set(k, v);
    for (const e of state.config.Env ?? []) out.set(e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1));
    return out;
  };
  const empty = new RootfsView(new Map());
  return {
    state,
    mode: 'buildkit',
    escape: '\\',
    buildArgs,
    metaArg: () => undefined,
    vars,
    word: (raw) => processWord(raw, vars()),
    words: (raw) => processWords(raw, vars()),
    context: empty,
    view: async () => empty,
    fromView: async () => empty,
    unpackBytes: 1 << 20,
  };
}

function step(line: string) {
  return parseDockerfile(`FROM scratch\n${line}\n`).stages[0]!.steps[0]!;
}

describe('step modules: what an instruction does, as data', () => {
  it('RUN plans a process on the stage — its env has the ARGs ENV does not set — and keys the cache by it, not by its output', async () => {
    const state = stage({
      config: { Env: ['A=env'], WorkingDir: '/w', User: 'nobody' },
      args: new Map([
        ['A', 'arg'],
        ['B', 'b'],
        ['C', undefined],
      ]),
    });
    const plan = await planStep(step('RUN echo hi'), context(state));
    expect(plan.layer).toEqual({ kind: 'run', process: { args: ['/bin/sh', '-c', 'echo hi'], env: ['B=b', 'A=env'], cwd: '/w', user: 'nobody' } });
    expect(plan.cacheInput).toEqual({ k: 'RUN', argv: ['/bin/sh', '-c', 'echo hi'], env: ['B=b', 'A=env'], cwd: '/w', user: 'nobody' });
    expect(plan.runArgs).toEqual(['B=b']);
    expect(plan.config).toBeUndefined();
  });

  it('a step that only sets config leaves the stage alone and says what to set', async () => {
    const state = stage({ config: { Env: ['A=1'], Cmd: ['sh'] } });
    const plan = await planStep(step('ENV B=$A'), context(state));
    expect(plan).toEqual({ text: 'ENV B=1', config: { Env: ['A=1', 'B=1'] } });
    expect(state.config.Env).toEqual(['A=1']);
  });

  it('ARG expands a default with the ARGs before it in the same instruction; --build-arg wins', async () => {
    const plan = await planStep(step('ARG A=one B=$A-two C=x'), context(stage(), { C: 'given' }));
    expect([...(plan.stage?.args ?? [])]).toEqual([
      ['A', 'one'],
      ['B', 'one-two'],
      ['C', 'given'],
    ]);
  });

  it('ENTRYPOINT resets an inherited CMD, not one the stage set', async () => {
    const inherited = await planStep(step('ENTRYPOINT ["cat"]'), context(stage({ config: { Cmd: ['sh'] } })));
    expect(inherited.config).toEqual({ Entrypoint: ['cat'], Cmd: null });
    const own = await planStep(step('ENTRYPOINT ["cat"]'), context(stage({ config: { Cmd: ['/x'] }, cmdSet: true })));
    expect(own.config).toEqual({ Entrypoint: ['cat'] });
  });

  it('WORKDIR joins the working directory and makes only the directories missing, parents with their own metadata', async () => {
    const plan = await planStep(step('WORKDIR app'), context(stage({ config: { WorkingDir: '/srv' } })));
    expect(plan.layer).toEqual({ kind: 'mkdir', path: '/srv/app' });
    const srv: Change = { kind: 'dir', path: '/srv', mode: 0o700, uid: 5, gid: 6 };
    expect(mkdirChanges(new RootfsView(new Map([['/srv', srv]])), '/srv/app')).toEqual([
      srv,
      { kind: 'dir', path: '/srv/app', mode: 0o755, uid: 0, gid: 0 },
    ]);
    expect(mkdirChanges(new RootfsView(new Map([['/srv', srv]])), '/srv')).toEqual([]);
  });
});
