import { workspacePath } from '../engine/workspace-path.js';
import type { Goal, goalSchema } from '../lessons/goal.js';
import { englishIssue } from '../engine/schema-messages.js';
import { widgetLang, type EmbedLang } from './embed-lang.js';

/**
 * An embed's attributes read into options, or the list of what is wrong with them: each
 * problem a key of the widget's language (`embed.error.<kind>`) and what to fill it with,
 * so the widget shows them instead of a blank box. Pure: the elements pass their
 * attributes in, the tests too.
 */

export type { EmbedLang };
export type EmbedTheme = 'light' | 'dark' | 'auto';
export type EmbedPart = 'terminal' | 'graph' | 'files' | 'hood' | 'tables';
/** When the preset commands run: as the widget loads, or when the reader presses its Run button. */
export type EmbedRun = 'load' | 'click';

/** The parts each element can show, and what it shows when `view` is left out. */
export const EMBED_PARTS = {
  playground: { allowed: ['terminal', 'graph', 'files', 'hood', 'tables'], default: ['terminal', 'graph'] },
  picture: { allowed: ['graph', 'files', 'hood', 'tables'], default: ['graph'] },
  lesson: { allowed: ['terminal', 'graph', 'files', 'hood', 'tables'], default: ['terminal', 'graph'] },
} as const satisfies Record<string, { allowed: readonly EmbedPart[]; default: readonly EmbedPart[] }>;
export type EmbedKind = keyof typeof EMBED_PARTS;

export interface EmbedOptions {
  lang: EmbedLang;
  view: EmbedPart[];
  /** The preset command lines, in order (blank lines and `#` comments dropped). */
  commands: string[];
  run: EmbedRun;
  /** The build context's starting files, by workspace path. */
  files: Record<string, string>;
  /** A CSS length for the widget's height, or undefined: as tall as its parts. */
  height: string | undefined;
  theme: EmbedTheme;
  /** A sandbox server's origin (and path): real containers instead of the in-page simulator. */
  server: string | undefined;
  /** A goal checked against the state after every change: `layerlab:goal` fires once it holds. */
  goal: Goal | undefined;
  /** `<layerlab-lesson>`'s lesson id and, to show one step only, the step (its number from 1, or its id). */
  lesson: { id: string; step: string | undefined } | undefined;
  /**
   * `<layerlab-playground editor>`: the build-context file the widget's editor opens (`editor` alone: `Dockerfile`),
   * or undefined: no editor, and none of its code fetched.
   */
  editor: string | undefined;
}

export interface EmbedProblem {
  /** `embed.error.<kind>` in the widget's catalog. */
  kind:
    | 'lang'
    | 'view'
    | 'run'
    | 'theme'
    | 'height'
    | 'files'
    | 'fileName'
    | 'server'
    | 'goal'
    | 'commands'
    | 'lesson'
    | 'step'
    | 'noLesson'
    | 'noStep'
    | 'editor'
    | 'editorOnly';
  params: Record<string, string>;
}

/** Attributes by name (`getAttribute`), and the `<script type="text/plain" data-file>` children's files. */
export interface EmbedInput {
  attr(name: string): string | null;
  childFiles: readonly { name: string; text: string }[];
  /** The host page's language (`<html lang>`), the default when `lang` is left out. */
  pageLang: string;
  /**
   * The goal's schema, which the caller loads only when there is a `goal` attribute: it is
   * zod's, and a widget without a goal neither fetches nor builds it (issue 15's start).
   */
  goalSchema?: Pick<typeof goalSchema, 'safeParse'>;
}

export type EmbedParse = { ok: true; options: EmbedOptions } | { ok: false; lang: EmbedLang | undefined; problems: EmbedProblem[] };

const THEMES: readonly EmbedTheme[] = ['light', 'dark', 'auto'];
const RUNS: readonly EmbedRun[] = ['load', 'click'];
// A plain length only: the value goes through CSSOM (`style.height`), never into a stylesheet's text.
const HEIGHT = /^\d+(\.\d+)?(px|rem|em|vh)$/;
const LESSON_ID = /^\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/;
/** A step's number (from 1) or its id (lesson.schema.ts); a number is read as a number. */
const STEP = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const validStep = (step: string) => STEP.test(step) && (!/^\d+$/.test(step) || Number(step) >= 1);

export function parseEmbedOptions(kind: EmbedKind, input: EmbedInput): EmbedParse {
  const problems: EmbedProblem[] = [];
  const problem = (k: EmbedProblem['kind'], params: Record<string, string> = {}) => problems.push({ kind: k, params });

  const rawLang = input.attr('lang');
  const lang = widgetLang(rawLang, input.pageLang);
  if (lang === undefined) problem('lang', { value: rawLang ?? '' });

  const parts = EMBED_PARTS[kind];
  const rawView = input.attr('view');
  let view: EmbedPart[] = [...parts.default];
  if (rawView !== null) {
    const names = rawView
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    const allowed: readonly string[] = parts.allowed;
    if (names.length === 0 || names.some((n) => !allowed.includes(n))) problem('view', { value: rawView, allowed: parts.allowed.join(', ') });
    else view = names as EmbedPart[];
  }

  const commands = (input.attr('commands') ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (kind === 'picture' && commands.length === 0) problem('commands');

  const rawRun = input.attr('run');
  const run = RUNS.find((r) => r === (rawRun ?? 'load'));
  if (!run) problem('run', { value: rawRun ?? '' });

  const rawTheme = input.attr('theme');
  const theme = THEMES.find((t) => t === (rawTheme ?? 'auto'));
  if (!theme) problem('theme', { value: rawTheme ?? '' });

  const rawHeight = input.attr('height');
  if (rawHeight !== null && !HEIGHT.test(rawHeight.trim())) problem('height', { value: rawHeight });

  const files: Record<string, string> = {};
  const rawFiles = input.attr('files');
  if (rawFiles !== null) {
    try {
      const parsed: unknown = JSON.parse(rawFiles);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      for (const [name, text] of Object.entries(parsed)) {
        if (typeof text !== 'string') throw new Error(`"${name}" is not a string`);
        files[name] = text;
      }
    } catch (e) {
      problem('files', { message: (e as Error).message });
    }
  }
  // A child's file wins over the attribute's of the same name: it is the one an author edits as text.
  for (const { name, text } of input.childFiles) files[name] = text;
  const named: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    try {
      named[workspacePath(name, 'write')] = text;
    } catch (e) {
      problem('fileName', { value: name, message: (e as Error).message });
    }
  }

  const rawServer = input.attr('server');
  let server: string | undefined;
  if (rawServer !== null) {
    try {
      const url = new URL(rawServer);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      if (url.username || url.password || url.search || url.hash) throw new Error('extras');
      server = url.href.replace(/\/$/, '');
    } catch {
      problem('server', { value: rawServer });
    }
  }

  const rawGoal = input.attr('goal');
  let goal: Goal | undefined;
  if (rawGoal !== null) {
    if (!input.goalSchema) throw new Error('a goal attribute needs the goal schema loaded');
    try {
      const checked = input.goalSchema.safeParse(JSON.parse(rawGoal), { error: englishIssue });
      if (!checked.success) throw new Error(checked.error.issues.map((i) => `${i.path.join('.') || 'goal'}: ${i.message}`).join('; '));
      goal = checked.data;
    } catch (e) {
      problem('goal', { message: (e as Error).message });
    }
  }

  // A lesson's id as its folder names it (lesson.schema.ts); a step by number or by id.
  const rawLesson = input.attr('lesson');
  const rawStep = input.attr('step');
  let lesson: EmbedOptions['lesson'];
  if (kind === 'lesson') {
    if (rawLesson === null || !LESSON_ID.test(rawLesson.trim())) problem('lesson', { value: rawLesson ?? '' });
    else if (rawStep !== null && !validStep(rawStep.trim())) problem('step', { value: rawStep });
    else lesson = { id: rawLesson.trim(), step: rawStep?.trim() };
  }

  // Boolean-like: `editor` alone opens the Dockerfile; a value names the file, by the workspace's one path rule.
  const rawEditor = input.attr('editor');
  let editor: string | undefined;
  if (rawEditor !== null) {
    if (kind !== 'playground') problem('editorOnly', { value: rawEditor });
    else
      try {
        editor = workspacePath(rawEditor.trim() === '' ? 'Dockerfile' : rawEditor.trim(), 'write');
        if (editor === '') throw new Error('it names no file');
      } catch (e) {
        problem('editor', { value: rawEditor, message: (e as Error).message });
      }
  }

  if (problems.length > 0 || !lang || !run || !theme) return { ok: false, lang, problems };
  return {
    ok: true,
    options: { lang, view, commands, run, files: named, height: rawHeight?.trim(), theme, server, goal, lesson, editor },
  };
}
