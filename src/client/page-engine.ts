import type { Engine } from '../engine/engine.js';
import { decodeStartingFiles } from '../lessons/starting-files.js';
import { fallbackFor, pageBackend, settleBackend } from './health.js';
import { HealingEngine, type SessionNotice } from './healing-engine.js';
import { createRemoteEngine } from './remote-engine.js';
import { prefetchSimulator, simEngine } from './sim-modules.js';
import { seatForLesson } from '../workshop/learner-seat.js';

let cached: Promise<HealingEngine> | undefined;
const noticeListeners = new Set<(notice: SessionNotice) => void>();

/** What happens to the page's session (renewed, unreachable, expiring…): the terminal tells the learner. */
export function onSessionNotice(listener: (notice: SessionNotice) => void): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

const notify = (notice: SessionNotice) => {
  for (const listener of noticeListeners) listener(notice);
};

/** The selector of the JSON island a lesson page with starting files carries. */
export const STARTING_FILES_SELECTOR = 'script[data-lesson-files]';

/** The page's starting files (a lesson's `files/`), none on pages without the island. */
function startingFiles(): { path: string; bytes: Uint8Array }[] {
  const island = document.querySelector(STARTING_FILES_SELECTOR);
  return island?.textContent ? decodeStartingFiles(island.textContent) : [];
}

/**
 * The page's one engine, shared by its islands: the sandbox when the server runs real
 * containers, else the simulator in the browser (DESIGN.md: one engine, two backends).
 * The simulator is loaded only when it is the one used. Either way the build context
 * starts with the lesson's files, so `docker build .` in the lesson finds them.
 */
export function pageEngine(): Promise<HealingEngine> {
  cached ??= workshopPageEngine().then((engine) => engine ?? ownPageEngine());
  return cached;
}

/**
 * A lesson of the workshop this browser joined runs on the learner's sandbox (src/workshop/learner/);
 * undefined on any other page, or when the workshop no longer takes this learner (the page then runs as any page).
 */
async function workshopPageEngine(): Promise<HealingEngine | undefined> {
  // A widget on another site is never a workshop's lesson page: its build drops the workshop's code (build-embed.mjs).
  if (import.meta.env.LAYERLAB_EMBED) return undefined;
  const lessonId = document.querySelector<HTMLElement>('ll-lesson')?.dataset.lessonId;
  const seat = seatForLesson(lessonId);
  if (!seat || !lessonId) return undefined;
  const { workshopEngine } = await import('../workshop/learner/workshop-mode.js');
  return workshopEngine(seat, { lessonId, files: startingFiles(), simEngine: (files) => simEngine(files), notify }).catch(() => undefined);
}

function ownPageEngine(): Promise<HealingEngine> {
  return pageBackend().then(async (choice) => {
    const files = startingFiles();
    const sim = () => simEngine(files);
    if (choice.backend === 'linux') {
      // DESIGN.md: PUT /api/sessions/:id/files/<path> writes a build-context file.
      const open = async () => {
        const engine = await createRemoteEngine({ fetch: fetch.bind(globalThis), WebSocket });
        await Promise.all(files.map((f) => engine.workspace.write(f.path, f.bytes)));
        return engine;
      };
      const simulate = (why: unknown) => {
        // The server is full (or this address holds its share), or the learner chose it: the badge says why.
        settleBackend(fallbackFor(why) ?? { backend: 'sim', reason: 'no-server' });
        return sim();
      };
      let first: Engine;
      try {
        first = await open();
      } catch (error) {
        if (!fallbackFor(error)) throw error;
        settleBackend(fallbackFor(error)!);
        return new HealingEngine(await sim(), { open: sim, notify });
      }
      const engine = new HealingEngine(first, { open, simulate, fallsBack: (e) => fallbackFor(e) !== undefined, notify, visibility: document });
      // The page's session ends with the page, not at its idle timeout: a learner walking
      // through lessons holds one sandbox, not one per page (LAYERLAB_SESSIONS_PER_ADDRESS).
      addEventListener('pagehide', (event) => {
        if (!event.persisted) void engine.dispose().catch(() => undefined);
      });
      // The simulator is the way on when the server stops answering, and then its code can
      // not be fetched from it: it is fetched now, when the page has nothing else to do.
      const idle = globalThis.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 2000));
      idle(prefetchSimulator);
      return engine;
    }
    return new HealingEngine(await sim(), { open: sim, notify });
  });
}
