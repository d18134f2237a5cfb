/** Where the dashboard keeps the instructor's link for this tab: sessionStorage, never the address bar (a projector shows it). */
export const INSTRUCTOR_KEY = 'layerlab.workshop.instructor';

export interface InstructorAccess {
  workshopId: string;
  secret: string;
}

/** `#workshop=<id>&secret=<secret>`, as the create answer's `instructorLink` ends; anything else is no link. */
export function parseInstructorFragment(hash: string): InstructorAccess | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const workshopId = params.get('workshop');
  const secret = params.get('secret');
  return workshopId && secret ? { workshopId, secret } : null;
}

/**
 * The access this tab holds: a link's fragment (saved, then dropped from the address bar and its
 * history entry, so it is not left on screen) or, on a reload, what this tab saved before.
 */
export function takeInstructorAccess(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  storage: Storage,
  history: History,
): InstructorAccess | null {
  const fromLink = parseInstructorFragment(location.hash);
  if (fromLink) {
    saveInstructorAccess(storage, fromLink);
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    return fromLink;
  }
  try {
    const saved = JSON.parse(storage.getItem(INSTRUCTOR_KEY) ?? 'null') as Partial<InstructorAccess> | null;
    return saved && typeof saved.workshopId === 'string' && typeof saved.secret === 'string'
      ? { workshopId: saved.workshopId, secret: saved.secret }
      : null;
  } catch {
    return null;
  }
}

export function saveInstructorAccess(storage: Storage, access: InstructorAccess): void {
  try {
    storage.setItem(INSTRUCTOR_KEY, JSON.stringify(access));
  } catch {
    // Storage off: the dashboard works until this tab reloads.
  }
}

export function forgetInstructorAccess(storage: Storage): void {
  try {
    storage.removeItem(INSTRUCTOR_KEY);
  } catch {
    // Nothing was kept.
  }
}
