import type { EngineEvent } from '../engine/events.js';
import { tokenize } from '../engine/cli/tokenize.js';

/** What one Dockerfile instruction did in the last build, shown at the end of its line. */
export type LineAnnotation =
  | { kind: 'from'; line: number; step: number; instruction: string; cached: false }
  | { kind: 'layer'; line: number; step: number; instruction: string; cached: boolean; diffId: string; size: number | null }
  | { kind: 'empty'; line: number; step: number; instruction: string; cached: boolean }
  | { kind: 'failed'; line: number; step: number; instruction: string; exitCode: number; message: string }
  /** Started but never finished: the build stopped at an earlier failure or was interrupted. */
  | { kind: 'running'; line: number; step: number; instruction: string };

type BuildStepEvent = Extract<EngineEvent, { type: `build.${string}` }>;

export function isBuildEvent(event: EngineEvent): event is BuildStepEvent {
  return event.type.startsWith('build.');
}

/**
 * Folds one build's events into one annotation per instruction line. Only the last
 * build in `events` counts (a new buildId starts over), so a stream of several builds
 * annotates the one the learner just ran. `sizeOf` looks a layer's size up in the
 * engine's state (the events carry only its diffID).
 */
export function buildAnnotations(events: readonly EngineEvent[], sizeOf: (diffId: string) => number | undefined = () => undefined): LineAnnotation[] {
  let buildId: string | undefined;
  let steps = new Map<number, LineAnnotation>();
  for (const event of events) {
    if (!isBuildEvent(event)) continue;
    if (event.buildId !== buildId) {
      buildId = event.buildId;
      steps = new Map();
    }
    const started = steps.get('step' in event ? event.step : -1);
    switch (event.type) {
      case 'build.step.started':
        steps.set(event.step, { kind: 'running', line: event.line, step: event.step, instruction: event.instruction });
        break;
      case 'build.step.cached':
        if (!started) break;
        steps.set(event.step, finished(started, true, event.diffId ?? null, sizeOf));
        break;
      case 'build.step.done':
        if (!started) break;
        steps.set(event.step, finished(started, false, event.diffId, sizeOf));
        break;
      case 'build.step.failed':
        if (!started) break;
        steps.set(event.step, {
          kind: 'failed',
          line: started.line,
          step: started.step,
          instruction: started.instruction,
          exitCode: event.exitCode,
          message: event.message,
        });
        break;
      case 'build.done':
        break;
    }
  }
  // Steps are numbered across stages and each instruction runs once, so one per line.
  return [...steps.values()].sort((x, y) => x.line - y.line);
}

function finished(started: LineAnnotation, cached: boolean, diffId: string | null, sizeOf: (diffId: string) => number | undefined): LineAnnotation {
  const { line, step, instruction } = started;
  // Docker: FROM makes no layer of its own; the stage starts from the base image's layers.
  if (/^FROM\s/i.test(instruction)) return { kind: 'from', line, step, instruction, cached: false };
  if (diffId === null) return { kind: 'empty', line, step, instruction, cached };
  return { kind: 'layer', line, step, instruction, cached, diffId, size: sizeOf(diffId) ?? null };
}

/** The diffIDs the annotations name, for the picture to light up. */
export function annotatedLayers(annotations: readonly LineAnnotation[]): string[] {
  return annotations.flatMap((a) => (a.kind === 'layer' ? [a.diffId] : []));
}

/**
 * Whether a command line builds `dockerfile` with `.` as the context, so its build
 * events belong on that file's lines: `docker build -t x .` reads `Dockerfile`,
 * `-f other.Dockerfile` (or `--file=…`) names another (Docker: -f is relative to the context).
 */
export function buildsFile(commandLine: string, dockerfile: string): boolean {
  let words: string[];
  try {
    words = tokenize(commandLine.trim());
  } catch {
    return false;
  }
  if (words[0] !== 'docker') return false;
  let i = 1;
  if (words[i] === 'image' || words[i] === 'builder' || words[i] === 'buildx') i++;
  if (words[i] !== 'build') return false;
  let file = 'Dockerfile';
  const args: string[] = [];
  const takesValue = new Set(['-t', '--tag', '-f', '--file', '--build-arg', '--target', '--progress', '--network']);
  for (let j = i + 1; j < words.length; j++) {
    const w = words[j]!;
    if (w === '-f' || w === '--file') file = words[++j] ?? '';
    else if (w.startsWith('--file=')) file = w.slice('--file='.length);
    else if (w.startsWith('-f') && w.length > 2 && !w.startsWith('--')) file = w.slice(2);
    else if (takesValue.has(w)) j++;
    else if (!w.startsWith('-')) args.push(w);
  }
  const normal = (p: string) => p.replace(/^(\.\/)+/, '');
  return args.length === 1 && (args[0] === '.' || args[0] === './') && normal(file) === normal(dockerfile);
}
