import { decodeStartingFiles } from '../lessons/starting-files.js';
import { presetFiles, type TextFile } from '../lessons/preset-files.js';
import type { EmbedLessonData, EmbedLessonStep } from './embed-lesson.js';
import type { EmbedProblem } from './embed-options.js';

/** Where `<layerlab-lesson>` starts: the steps it shows, what runs before the first, the files it starts with. */
export interface LessonStart {
  /** The steps the widget walks: all of the lesson's, or the one `step` names. */
  steps: EmbedLessonStep[];
  /** The shown first step's index in the lesson (0 for the whole lesson). */
  first: number;
  /** Run on the fresh engine before the first shown step: the lesson's setup, then the earlier steps' solutions. */
  before: string[];
  /** The build context it starts with: the lesson's files/, with the earlier steps' files and the learner's edits they ask for. */
  files: Record<string, string>;
  /** The challenge, for the whole lesson only: a step shown alone ends with that step. */
  challenge: EmbedLessonData['challenge'];
}

const decoder = new TextDecoder();

/**
 * `step` (a number from 1, or a step's id) read against the lesson: a step shown alone starts
 * from the state the lesson's earlier steps leave, as a learner who walked them would have it.
 */
export function lessonStart(data: EmbedLessonData, step: string | undefined): LessonStart | EmbedProblem {
  let first = 0;
  if (step !== undefined) {
    first = /^\d+$/.test(step) ? Number(step) - 1 : data.steps.findIndex((s) => s.id === step);
    if (first < 0 || first >= data.steps.length) return { kind: 'noStep', params: { value: step, total: String(data.steps.length) } };
  }
  let files: TextFile[] = decodeStartingFiles(JSON.stringify(data.startingFiles)).map((f) => ({ path: f.path, content: decoder.decode(f.bytes) }));
  for (const earlier of data.steps.slice(0, first)) {
    if (earlier.files) files = presetFiles(files, earlier.files);
    if (earlier.solutionFiles) files = presetFiles(files, earlier.solutionFiles);
  }
  return {
    steps: step === undefined ? data.steps : [data.steps[first]!],
    first,
    before: [...data.setup, ...data.steps.slice(0, first).flatMap((s) => s.solution)],
    files: Object.fromEntries(files.map((f) => [f.path, f.content])),
    challenge: step === undefined ? data.challenge : undefined,
  };
}
