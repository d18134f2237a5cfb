import type { GivenSession, LearnerSandbox, LearnerWorkshop } from './workshop-api.js';

/**
 * The learner's place in a workshop, kept in this browser (localStorage) so a reload or the
 * join link opened again resumes the same learner: the resume token is what proves it is them.
 */
export interface LearnerSeat {
  workshopId: string;
  learnerId: string;
  resumeToken: string;
  displayName: string;
  /** Their part of the class namespace (`localhost:5000/class/<handle>/`); absent in a seat kept before handles. */
  handle?: string;
  /** The code joined with, as the server spells codes (`XXXX-XXXX`): the join link opened again finds this seat. */
  joinCode: string;
  workshop: LearnerWorkshop;
  /** The workshop lesson the learner was last on, where "continue" takes them. */
  lesson: string;
}

export const SEAT_KEY = 'layerlab.workshop';
/** The join's sandbox session, handed to the first lesson page once (the tab's own storage, gone with it). */
const HANDOFF_KEY = 'layerlab.workshop.sandbox';

/** A typed code as the server keeps codes (join-code.ts's rule: case, spaces and dashes are not the learner's to get right). */
export function normalizeJoinCode(typed: string): string {
  const bare = typed.toUpperCase().replace(/[\s-]/g, '');
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}

function isSeat(value: unknown): value is LearnerSeat {
  const s = value as Partial<LearnerSeat> | null;
  return (
    typeof s?.workshopId === 'string' &&
    typeof s.learnerId === 'string' &&
    typeof s.resumeToken === 'string' &&
    typeof s.displayName === 'string' &&
    typeof s.joinCode === 'string' &&
    typeof s.lesson === 'string' &&
    typeof s.workshop?.title === 'string' &&
    Array.isArray(s.workshop.lessons)
  );
}

/** The seat this browser holds, if any (storage off or a damaged entry: none). */
export function readSeat(): LearnerSeat | undefined {
  try {
    const raw = localStorage.getItem(SEAT_KEY);
    const value = raw ? (JSON.parse(raw) as unknown) : undefined;
    return isSeat(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeSeat(seat: LearnerSeat): void {
  localStorage.setItem(SEAT_KEY, JSON.stringify(seat));
}

export function leaveSeat(): void {
  localStorage.removeItem(SEAT_KEY);
  sessionStorage.removeItem(HANDOFF_KEY);
}

/** The seat, when this lesson page is one of its workshop's lessons: the page runs in workshop mode. */
export function seatForLesson(lessonId: string | undefined): LearnerSeat | undefined {
  const seat = readSeat();
  return seat && lessonId && seat.workshop.lessons.includes(lessonId) ? seat : undefined;
}

/** Keeps the join's sandbox for the lesson page the learner lands on next, so it is not thrown away for a resume. */
export function handOffSandbox(sandbox: LearnerSandbox): void {
  sessionStorage.setItem(HANDOFF_KEY, JSON.stringify(sandbox));
}

/** The sandbox handed off by the join, once: a reload after it resumes. */
export function takeHandedOffSandbox(): LearnerSandbox | undefined {
  try {
    const raw = sessionStorage.getItem(HANDOFF_KEY);
    sessionStorage.removeItem(HANDOFF_KEY);
    const value = raw ? (JSON.parse(raw) as { session?: GivenSession | null; simulator?: string | null }) : undefined;
    if (value?.session && typeof value.session.id === 'string' && typeof value.session.token === 'string')
      return { session: value.session, simulator: null };
    if (typeof value?.simulator === 'string') return { session: null, simulator: value.simulator };
  } catch {
    /* storage off: the lesson page resumes */
  }
  return undefined;
}
