import { assign, setup } from 'xstate';
import { lazy } from '../lazy.js';

/**
 * A container's lifecycle as Docker's daemon enforces it. Transitions are pure: an
 * event the current state refuses leaves the state as it is and puts Docker's error
 * in `context.error`, so the engine (and a test, with `transition()`) reads the
 * outcome from the next snapshot alone. The I/O (runtime, snapshotter) is the
 * engine's; this machine only decides what is allowed.
 */
export type ContainerErrorCode =
  | 'CONTAINER_NOT_RUNNING'
  | 'CONTAINER_ALREADY_PAUSED'
  | 'CONTAINER_NOT_PAUSED'
  | 'CONTAINER_PAUSED_START'
  | 'CONTAINER_PAUSED_EXEC'
  | 'CONTAINER_RUNNING_REMOVE'
  | 'CONTAINER_PAUSED_REMOVE'
  | 'CONTAINER_REMOVAL_IN_PROGRESS'
  | 'CONTAINER_DEAD';

export interface ContainerMachineError {
  code: ContainerErrorCode;
  /** The daemon's message, as `Error response from daemon: …` shows it. */
  message: string;
}

export interface ContainerMachineContext {
  id: string;
  name: string;
  exitCode: number | null;
  error: ContainerMachineError | null;
}

export type ContainerMachineEvent =
  | { type: 'container.start' }
  | { type: 'container.pause' }
  | { type: 'container.unpause' }
  | { type: 'container.stop' }
  /** `ref` is the name the user typed: Docker's kill error quotes it. */
  | { type: 'container.kill'; ref: string }
  /** `ref` as typed: Docker's paused-exec error quotes it. */
  | { type: 'container.exec'; ref?: string }
  | { type: 'container.exit'; exitCode: number }
  /** The process could not start (execve failed): `firstRun` when it never ran before. */
  | { type: 'container.start.failed'; exitCode: number; firstRun: boolean }
  | { type: 'container.restart' }
  | { type: 'container.remove'; force: boolean }
  | { type: 'container.remove.failed' };

type Reject = (ctx: ContainerMachineContext, event: ContainerMachineEvent) => ContainerMachineError;

// Docker (moby daemon/errors.go, pause.go, unpause.go, start.go, delete.go, kill.go), as the
// recorded conformance cases (test/conformance/cases) have them.
const REJECTIONS = {
  notRunning: (c) => ({ code: 'CONTAINER_NOT_RUNNING', message: `Container ${c.id} is not running` }),
  killNotRunning: (c, e) => ({
    code: 'CONTAINER_NOT_RUNNING',
    message: `Cannot kill container: ${e.type === 'container.kill' ? e.ref : c.id}: Container ${c.id} is not running`,
  }),
  alreadyPaused: (c) => ({ code: 'CONTAINER_ALREADY_PAUSED', message: `Container ${c.id} is already paused` }),
  notPaused: (c) => ({ code: 'CONTAINER_NOT_PAUSED', message: `Container ${c.id} is not paused` }),
  startPaused: () => ({ code: 'CONTAINER_PAUSED_START', message: 'cannot start a paused container, try unpause instead' }),
  execPaused: (c, e) => ({
    code: 'CONTAINER_PAUSED_EXEC',
    message: `Container ${(e.type === 'container.exec' && e.ref) || c.id} is paused, unpause the container before exec`,
  }),
  // Docker 28 quotes the container's Name, which has a leading slash.
  removeRunning: (c) => ({
    code: 'CONTAINER_RUNNING_REMOVE',
    message: `cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`,
  }),
  removePaused: (c) => ({
    code: 'CONTAINER_PAUSED_REMOVE',
    message: `cannot remove container "/${c.name}": container is paused and must be unpaused first`,
  }),
  removing: (c) => ({ code: 'CONTAINER_REMOVAL_IN_PROGRESS', message: `removal of container ${c.id} is already in progress` }),
  startRemoving: () => ({ code: 'CONTAINER_REMOVAL_IN_PROGRESS', message: 'container is marked for removal and cannot be started' }),
  startDead: () => ({ code: 'CONTAINER_DEAD', message: 'container is marked for removal and cannot be started' }),
} satisfies Record<string, Reject>;

type RejectionName = keyof typeof REJECTIONS;

/** What a container that is not running answers, made and not started or ended: Docker asks whether it runs, not how. */
const NOT_RUNNING = {
  'container.start': { target: 'running', actions: 'clearExit' },
  'container.pause': { actions: { type: 'reject', params: { why: 'notRunning' } } },
  'container.unpause': { actions: { type: 'reject', params: { why: 'notPaused' } } },
  // Docker: stopping a container that is not running is a no-op (304).
  'container.stop': { actions: 'accept' },
  'container.kill': { actions: { type: 'reject', params: { why: 'killNotRunning' } } },
  'container.exec': { actions: { type: 'reject', params: { why: 'notRunning' } } },
  'container.restart': { target: 'restarting', actions: 'accept' },
  'container.remove': { target: 'removing', actions: 'accept' },
} as const;

/** Built on first use (lazy.ts), a container's first command: an engine opens without it. */
export const containerMachine = lazy(() =>
  setup({
    types: {
      context: {} as ContainerMachineContext,
      events: {} as ContainerMachineEvent,
      input: {} as { id: string; name: string },
    },
    actions: {
      accept: assign({ error: null }),
      reject: assign(({ context, event }, params: { why: RejectionName }) => ({
        error: REJECTIONS[params.why](context, event),
      })),
      recordExit: assign(({ event }) => ({
        error: null,
        exitCode: event.type === 'container.exit' || event.type === 'container.start.failed' ? event.exitCode : null,
      })),
      clearExit: assign({ error: null, exitCode: null }),
    },
    guards: {
      forced: ({ event }) => event.type === 'container.remove' && event.force,
      firstRun: ({ event }) => event.type === 'container.start.failed' && event.firstRun,
    },
  }).createMachine({
    id: 'container',
    context: ({ input }) => ({ id: input.id, name: input.name, exitCode: null, error: null }),
    initial: 'created',
    states: {
      created: { on: NOT_RUNNING },
      running: {
        on: {
          // Docker: starting a running container is a no-op (304).
          'container.start': { actions: 'accept' },
          'container.pause': { target: 'paused', actions: 'accept' },
          'container.unpause': { actions: { type: 'reject', params: { why: 'notPaused' } } },
          'container.stop': { actions: 'accept' },
          'container.kill': { actions: 'accept' },
          'container.exec': { actions: 'accept' },
          'container.exit': { target: 'exited', actions: 'recordExit' },
          // Docker (daemon/start.go): a failed start never set the container running; it keeps
          // the exit code (127/126) and reads `created` until it has once started.
          'container.start.failed': [
            { guard: 'firstRun', target: 'created', actions: 'recordExit' },
            { target: 'exited', actions: 'recordExit' },
          ],
          'container.restart': { target: 'restarting', actions: 'accept' },
          'container.remove': [
            { guard: 'forced', target: 'removing', actions: 'accept' },
            { actions: { type: 'reject', params: { why: 'removeRunning' } } },
          ],
        },
      },
      paused: {
        on: {
          'container.start': { actions: { type: 'reject', params: { why: 'startPaused' } } },
          'container.pause': { actions: { type: 'reject', params: { why: 'alreadyPaused' } } },
          'container.unpause': { target: 'running', actions: 'accept' },
          // Docker: stop and kill of a paused container deliver the signal and resume it.
          'container.stop': { target: 'running', actions: 'accept' },
          'container.kill': { target: 'running', actions: 'accept' },
          'container.exec': { actions: { type: 'reject', params: { why: 'execPaused' } } },
          'container.exit': { target: 'exited', actions: 'recordExit' },
          'container.restart': { target: 'restarting', actions: 'accept' },
          'container.remove': [
            { guard: 'forced', target: 'removing', actions: 'accept' },
            { actions: { type: 'reject', params: { why: 'removePaused' } } },
          ],
        },
      },
      restarting: {
        on: {
          'container.start': { target: 'running', actions: 'clearExit' },
          'container.exit': { actions: 'recordExit' },
          'container.stop': { target: 'exited', actions: 'accept' },
          'container.pause': { actions: { type: 'reject', params: { why: 'notRunning' } } },
          'container.unpause': { actions: { type: 'reject', params: { why: 'notPaused' } } },
          'container.kill': { actions: { type: 'reject', params: { why: 'killNotRunning' } } },
          'container.exec': { actions: { type: 'reject', params: { why: 'notRunning' } } },
          'container.remove': [
            { guard: 'forced', target: 'removing', actions: 'accept' },
            { actions: { type: 'reject', params: { why: 'removeRunning' } } },
          ],
        },
      },
      exited: { on: NOT_RUNNING },
      removing: {
        on: {
          'container.start': { actions: { type: 'reject', params: { why: 'startRemoving' } } },
          'container.pause': { actions: { type: 'reject', params: { why: 'notRunning' } } },
          'container.unpause': { actions: { type: 'reject', params: { why: 'notPaused' } } },
          'container.stop': { actions: 'accept' },
          'container.kill': { actions: { type: 'reject', params: { why: 'killNotRunning' } } },
          'container.exec': { actions: { type: 'reject', params: { why: 'notRunning' } } },
          'container.exit': { actions: 'recordExit' },
          'container.remove': { actions: { type: 'reject', params: { why: 'removing' } } },
          'container.remove.failed': { target: 'dead', actions: 'accept' },
        },
      },
      dead: {
        on: {
          'container.start': { actions: { type: 'reject', params: { why: 'startDead' } } },
          'container.pause': { actions: { type: 'reject', params: { why: 'notRunning' } } },
          'container.unpause': { actions: { type: 'reject', params: { why: 'notPaused' } } },
          'container.stop': { actions: 'accept' },
          'container.kill': { actions: { type: 'reject', params: { why: 'killNotRunning' } } },
          'container.exec': { actions: { type: 'reject', params: { why: 'notRunning' } } },
          'container.remove': { target: 'removing', actions: 'accept' },
        },
      },
    },
  }),
);

export type ContainerMachine = ReturnType<typeof containerMachine>;
