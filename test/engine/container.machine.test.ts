import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { containerMachine, type ContainerMachineEvent } from '../../src/engine/containers/container.machine.js';

const ID = 'a'.repeat(64);

/** Walks the machine through events from `created`; returns the last snapshot. */
function after(...events: ContainerMachineEvent[]) {
  let [snap] = initialTransition(containerMachine(), { id: ID, name: 'web' });
  for (const e of events) {
    const [next] = transition(containerMachine(), snap, e);
    if (next.context.error) throw new Error(`unexpected rejection of ${e.type}: ${next.context.error.message}`);
    snap = next;
  }
  return snap;
}

function reject(snap: ReturnType<typeof after>, event: ContainerMachineEvent) {
  const [next] = transition(containerMachine(), snap, event);
  expect(next.value).toBe(snap.value);
  return next.context.error;
}

const start = { type: 'container.start' } as const;
const pause = { type: 'container.pause' } as const;
const unpause = { type: 'container.unpause' } as const;
const exit0 = { type: 'container.exit', exitCode: 0 } as const;

describe('container lifecycle machine', () => {
  it('walks created → running → paused → running → exited → running', () => {
    expect(after().value).toBe('created');
    expect(after(start).value).toBe('running');
    expect(after(start, pause).value).toBe('paused');
    expect(after(start, pause, unpause).value).toBe('running');
    const exited = after(start, { type: 'container.exit', exitCode: 137 });
    expect(exited.value).toBe('exited');
    expect(exited.context.exitCode).toBe(137);
    expect(after(start, exit0, start).context.exitCode).toBeNull();
  });

  it('leaves a container whose process cannot start created (or exited, if it ran before), with the exit code', () => {
    const failed = after(start, { type: 'container.start.failed', exitCode: 127, firstRun: true });
    expect(failed.value).toBe('created');
    expect(failed.context.exitCode).toBe(127);
    const rerun = after(start, exit0, start, { type: 'container.start.failed', exitCode: 126, firstRun: false });
    expect(rerun.value).toBe('exited');
    expect(rerun.context.exitCode).toBe(126);
  });

  it("refuses pause and exec of a stopped container with Docker's words", () => {
    expect(reject(after(), pause)).toEqual({ code: 'CONTAINER_NOT_RUNNING', message: `Container ${ID} is not running` });
    expect(reject(after(start, exit0), { type: 'container.exec' })?.message).toBe(`Container ${ID} is not running`);
  });

  it('refuses unpause of a running container and pause of a paused one', () => {
    expect(reject(after(start), unpause)?.message).toBe(`Container ${ID} is not paused`);
    expect(reject(after(start, pause), pause)?.message).toBe(`Container ${ID} is already paused`);
  });

  it('refuses start and exec of a paused container', () => {
    expect(reject(after(start, pause), start)?.message).toBe('cannot start a paused container, try unpause instead');
    expect(reject(after(start, pause), { type: 'container.exec', ref: 'web' })?.message).toBe(
      'Container web is paused, unpause the container before exec',
    );
  });

  it('refuses to remove a running or paused container unless forced', () => {
    expect(reject(after(start), { type: 'container.remove', force: false })?.message).toBe(
      'cannot remove container "/web": container is running: stop the container before removing or force remove',
    );
    expect(reject(after(start, pause), { type: 'container.remove', force: false })?.code).toBe('CONTAINER_PAUSED_REMOVE');
    expect(after(start, { type: 'container.remove', force: true }).value).toBe('removing');
    expect(after(start, exit0, { type: 'container.remove', force: false }).value).toBe('removing');
  });

  it('quotes the name the user typed when kill finds the container stopped', () => {
    expect(reject(after(), { type: 'container.kill', ref: 'web' })?.message).toBe(`Cannot kill container: web: Container ${ID} is not running`);
  });

  it('lets stop and kill reach a paused container (Docker resumes it to deliver the signal)', () => {
    expect(after(start, pause, { type: 'container.stop' }).value).toBe('running');
    expect(after(start, pause, { type: 'container.kill', ref: 'web' }).value).toBe('running');
  });

  it('treats start of a running and stop of a stopped container as no-ops', () => {
    expect(after(start, start).value).toBe('running');
    expect(after({ type: 'container.stop' }).value).toBe('created');
  });

  it('goes dead when removal fails, and refuses a second removal meanwhile', () => {
    const removing = after(start, exit0, { type: 'container.remove', force: false });
    expect(reject(removing, { type: 'container.remove', force: true })?.code).toBe('CONTAINER_REMOVAL_IN_PROGRESS');
    expect(after(start, exit0, { type: 'container.remove', force: false }, { type: 'container.remove.failed' }).value).toBe('dead');
  });

  it('restarts through the restarting state', () => {
    expect(after(start, { type: 'container.restart' }).value).toBe('restarting');
    expect(after(start, { type: 'container.restart' }, start).value).toBe('running');
  });
});
