import type { Engine } from '../../engine/engine.js';
import { fallbackFor, settleBackend } from '../../client/health.js';
import { HealingEngine, type SessionNotice } from '../../client/healing-engine.js';
import { createRemoteEngine } from '../../client/remote-engine.js';
import { CATCH_UP_EVENT, type CatchUpDetail } from '../../components/catch-up-event.js';
import { STEP_EVENT, type StepEventDetail } from '../../components/step-event.js';
import { takeHandedOffSandbox, writeSeat, type LearnerSeat } from '../learner-seat.js';
import { WorkshopApiError, workshopApi, type LearnerSandbox } from '../workshop-api.js';
import { emitLearnerEvent } from './learner-events.js';
import { LearnerSocket } from './learner-socket.js';
import { COMMAND_CAP_CHARS, ProgressReporter } from './progress-reporter.js';
import { reportingEngine, type RanCommand } from './reporting-engine.js';

export interface WorkshopModeHost {
  lessonId: string;
  files: { path: string; bytes: Uint8Array }[];
  simEngine(files: { path: string; bytes: Uint8Array }[]): Promise<Engine>;
  notify(notice: SessionNotice): void;
}

/**
 * A lesson page of the learner's workshop: its engine runs on the learner's sandbox session
 * from the join or a resume (or the simulator when the server gave none), never one of its
 * own; each command and step is reported to the progress route, and the learner's live socket
 * carries hints and resets in and their state and output out. A session found gone (a server
 * restart) is replaced through the resume route, and the page's catch-up replays the lesson's
 * state as it does for any page (healing-engine.ts).
 */
export async function workshopEngine(seat: LearnerSeat, host: WorkshopModeHost): Promise<HealingEngine> {
  const { workshopId, learnerId, resumeToken } = seat;
  const reporter = new ProgressReporter({
    send: (report) => workshopApi.report(workshopId, learnerId, resumeToken, report),
    onRefused: (code) => emitLearnerEvent({ kind: 'refused', code }),
  });
  const lessonEl = document.querySelector<HTMLElement>('ll-lesson');
  let step = Number(lessonEl?.dataset.stepIndex ?? 0);
  document.addEventListener(STEP_EVENT, (event) => {
    const detail = (event as CustomEvent<StepEventDetail>).detail;
    if (detail.lessonId !== host.lessonId || detail.index === step) return;
    step = detail.index;
    reporter.report({ lesson: host.lessonId, step });
  });

  // The commands a catch-up replays on a new session rebuild the state; they are not the learner's doing, so not reported.
  const replaying: string[] = [];
  document.addEventListener(CATCH_UP_EVENT, (event) => {
    const detail = (event as CustomEvent<CatchUpDetail>).detail;
    // After the dispatch: every island has added its commands by then.
    queueMicrotask(() => replaying.push(...detail.commands.map((c) => c.trim())));
  });

  // Made below, once the first sandbox is had; a command can not run before then.
  const live: { socket?: LearnerSocket; engine?: HealingEngine } = {};
  const onCommand = (ran: RanCommand) => {
    if (replaying[0] === ran.command.trim()) replaying.shift();
    else reporter.report({ lesson: host.lessonId, step, command: ran.command, exitCode: ran.exitCode });
    live.socket?.send({ type: 'output', command: ran.command.slice(0, COMMAND_CAP_CHARS), output: ran.output, exitCode: ran.exitCode });
    void live.engine
      ?.state()
      .then((state) => live.socket?.send({ type: 'state', state }))
      .catch(() => undefined);
  };

  const simulator = async (code: string) => {
    settleBackend(fallbackFor({ code }) ?? { backend: 'sim', reason: 'no-sandbox', missing: [] });
    emitLearnerEvent({ kind: 'sandbox', sandbox: 'simulator' });
    return reportingEngine(await host.simEngine(host.files), onCommand);
  };
  const onSandbox = async (sandbox: LearnerSandbox): Promise<Engine> => {
    if (!sandbox.session) return simulator(sandbox.simulator);
    const engine = await createRemoteEngine({ fetch: fetch.bind(globalThis), WebSocket, session: sandbox.session });
    await Promise.all(host.files.map((f) => engine.workspace.write(f.path, f.bytes)));
    settleBackend({ backend: 'linux', reason: 'sandbox' });
    emitLearnerEvent({ kind: 'sandbox', sandbox: 'session' });
    return reportingEngine(engine, onCommand);
  };
  const resume = async (): Promise<LearnerSandbox> => {
    const answer = await workshopApi.resume(workshopId, learnerId, resumeToken);
    emitLearnerEvent({ kind: 'workshop', workshop: answer.workshop });
    return answer;
  };
  // The instructor's reset hands the page its new sandbox: the next `open` takes it instead of resuming.
  let handed: LearnerSandbox | undefined = takeHandedOffSandbox();
  const open = async () => {
    const sandbox = handed ?? (await resume());
    handed = undefined;
    return onSandbox(sandbox);
  };

  let first: Engine;
  try {
    first = await open();
  } catch (error) {
    // The page then runs as any lesson page does; the bar says why the workshop is not with it.
    emitLearnerEvent({ kind: 'refused', code: error instanceof WorkshopApiError ? error.code : 'UNREACHABLE' });
    throw error;
  }
  emitLearnerEvent({ kind: 'workshop', workshop: seat.workshop });
  writeSeat({ ...seat, lesson: host.lessonId });
  const engine = new HealingEngine(first, {
    open,
    simulate: () => simulator('chosen'),
    notify: host.notify,
    visibility: document,
  });
  live.engine = engine;
  addEventListener('pagehide', (event) => {
    if (event.persisted) return;
    live.socket?.close();
    void engine.dispose().catch(() => undefined);
  });
  reporter.report({ lesson: host.lessonId, step });

  live.socket = new LearnerSocket({
    url: workshopApi.liveUrl(workshopId, learnerId),
    token: resumeToken,
    onMessage(message) {
      if (message.type === 'hint') emitLearnerEvent({ kind: 'hint', hint: message.hint });
      else if (message.type === 'workshop') {
        emitLearnerEvent({ kind: 'workshop', workshop: message.workshop });
        writeSeat({ ...seat, workshop: message.workshop, lesson: host.lessonId });
      } else {
        // The instructor reset this learner's sandbox: the new one replaces the page's, and the lesson's steps are run again on it.
        handed = message.session ? { session: message.session, simulator: null } : { session: null, simulator: message.simulator };
        emitLearnerEvent({ kind: 'reset', at: Date.now() });
        void engine.resetByInstructor().catch(() => undefined);
      }
    },
    onConnection(open, reconnected) {
      emitLearnerEvent({ kind: 'live', open });
      // Back after a drop (a server restart): a session that did not survive it is replaced now, not at the next command.
      if (open && reconnected) void engine.state().catch(() => undefined);
    },
    onRefused: (code) => emitLearnerEvent({ kind: 'refused', code: String(code) }),
  });
  return engine;
}
