import type { ContainerState, StateSnapshot } from '../engine/state.js';
import type { Count, Goal } from './goal.js';
import { findImage, normalizeRef } from './image-ref.js';

/** The page editor's files by build-context path; none on a page without an editor. */
export type EditorFiles = Readonly<Record<string, string>>;

/** The command lines the learner ran with exit status 0 since the step became current, oldest first. */
export type RanCommands = readonly string[];

/**
 * Whether `state` (and the editor's `files`, the commands the learner `ran`) meet `goal`.
 * Pure: the same snapshot, files and commands always give the same answer.
 */
export function checkGoal(goal: Goal, state: StateSnapshot, files: EditorFiles = {}, ran: RanCommands = []): boolean {
  switch (goal.kind) {
    case 'all':
      return goal.goals.every((g) => checkGoal(g, state, files, ran));
    case 'any':
      return goal.goals.some((g) => checkGoal(g, state, files, ran));
    case 'not':
      return !checkGoal(goal.goal, state, files, ran);
    case 'ran': {
      const wanted = words(goal.command);
      return ran.some((line) => {
        const got = words(line);
        return wanted.every((word, i) => got[i] === word);
      });
    }
    case 'fileContent': {
      const content = Object.hasOwn(files, goal.path) ? files[goal.path] : undefined;
      if (content === undefined) return false;
      if (goal.includes !== undefined && !content.includes(goal.includes)) return false;
      return goal.matches === undefined || new RegExp(goal.matches, 'm').test(content);
    }
    case 'volume': {
      const v = (state.volumes ?? []).find((x) => x.name === goal.name);
      if (!v) return false;
      if (goal.usedBy === undefined) return true;
      return containersNamed(state, goal.usedBy).some((c) => v.usedBy.includes(c.id));
    }
    case 'containers':
      return inCount(state.containers.filter((c) => matchesContainer(c, goal, state)).length, goal.count ?? { min: 1 });
    case 'containerStatus':
      return state.containers.some((c) => sameName(c, goal.name) && c.status === goal.status);
    case 'containerFile': {
      const path = trimPath(goal.path);
      return containersNamed(state, goal.container).some((c) =>
        c.upper.some((entry) => trimPath(entry.path) === path && (goal.entry ? entry.kind === goal.entry : entry.kind !== 'whiteout')),
      );
    }
    case 'containerChange': {
      const path = trimPath(goal.path);
      return containersNamed(state, goal.container).some((c) =>
        c.changes.some((change) => trimPath(change.path) === path && (!goal.change || change.kind === goal.change)),
      );
    }
    case 'imageExists':
      return findImage(state.images, goal.ref) !== undefined;
    case 'imageLayers': {
      const image = findImage(state.images, goal.ref);
      return image !== undefined && inCount(image.diffIds.length, goal.count);
    }
    case 'imageFile': {
      const image = findImage(state.images, goal.ref);
      if (!image) return false;
      const path = trimPath(goal.path);
      return state.layers
        .filter((layer) => image.chainIds.includes(layer.chainId))
        .some((layer) => layer.files.some((f) => trimPath(f.path) === path && (goal.entry ? f.kind === goal.entry : f.kind !== 'whiteout')));
    }
    case 'sharedLayers': {
      const [a, b] = goal.images.map((ref) => findImage(state.images, ref));
      return a !== undefined && b !== undefined && inCount(commonPrefix(a.chainIds, b.chainIds), goal.count);
    }
  }
}

export function inCount(n: number, count: Count): boolean {
  if (typeof count === 'number') return n === count;
  return n >= (count.min ?? 0) && n <= (count.max ?? Infinity);
}

interface ContainerFilter {
  name?: string | undefined;
  image?: string | undefined;
  status?: ContainerState['status'] | undefined;
  exitCode?: number | undefined;
  command?: string | undefined;
}

function matchesContainer(c: ContainerState, filter: ContainerFilter, state: StateSnapshot): boolean {
  if (filter.name !== undefined && !sameName(c, filter.name)) return false;
  if (filter.status !== undefined && c.status !== filter.status) return false;
  if (filter.exitCode !== undefined && c.exitCode !== filter.exitCode) return false;
  if (filter.command !== undefined && !c.command.includes(filter.command)) return false;
  if (filter.image !== undefined && !usesImage(c, filter.image, state)) return false;
  return true;
}

// Docker: a container records the image ID it was made from (`ps --filter ancestor=` compares
// IDs), so `busybox` means the image that tag names now; the typed name is the fallback.
function usesImage(c: ContainerState, ref: string, state: StateSnapshot): boolean {
  const image = findImage(state.images, ref);
  if (image) return c.imageId === image.id;
  return normalizeRef(c.image) === normalizeRef(ref);
}

function containersNamed(state: StateSnapshot, name: string | undefined): ContainerState[] {
  return name === undefined ? state.containers : state.containers.filter((c) => sameName(c, name));
}

// Docker: inspect reports names with a leading slash (`/web`); `--name` takes it without.
function sameName(c: ContainerState, name: string): boolean {
  return c.name.replace(/^\//, '') === name.replace(/^\//, '');
}

// OCI image spec: a layer's chainID names it together with every layer below it, so two
// images share layer n only when they agree on layers 0..n.
function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// A shell splits a line on runs of blanks: `docker  diff c1` is `docker diff c1`.
function words(line: string): string[] {
  return line.trim().split(/\s+/);
}

function trimPath(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}
