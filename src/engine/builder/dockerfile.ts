import { DockerfileParseError } from './build-errors.js';
import { flagWords, quote, readDockerfile, unescape, type SourceInstruction, type Word } from './dockerfile-lines.js';
import type { CommandForm, Instruction, ParsedDockerfile, Stage } from './instruction.js';

/** The instructions Layerlab runs (the oracle test draws its Dockerfiles from them too). */
export const KNOWN = new Set([
  'FROM',
  'RUN',
  'CMD',
  'ENTRYPOINT',
  'COPY',
  'ADD',
  'ENV',
  'ARG',
  'LABEL',
  'WORKDIR',
  'USER',
  'EXPOSE',
  'VOLUME',
  'SHELL',
  'STOPSIGNAL',
]);
// Docker knows these; Layerlab does not run them yet, and says so rather than ignoring them.
const NOT_SUPPORTED = new Set(['HEALTHCHECK', 'ONBUILD', 'MAINTAINER']);

/**
 * Reads a Dockerfile's lines (dockerfile-lines.ts) and checks each instruction as
 * BuildKit's `instructions.Parse` does, so a mistake is reported with Docker's words,
 * its line and our column.
 */
export function parseDockerfile(source: string): ParsedDockerfile {
  const { escape, instructions: all } = readDockerfile(source);
  const lines = source.split('\n');
  if (all.length === 0) throw new DockerfileParseError('file with no instructions', 1, 1);
  const metaArgs: ParsedDockerfile['metaArgs'] = [];
  const stages: Stage[] = [];
  for (const node of all) {
    const ins = toInstruction(node, escape, lines, source);
    if (ins.kind === 'FROM') {
      stages.push({ index: stages.length, ...(ins.stageName ? { name: ins.stageName } : {}), from: ins, steps: [] });
    } else if (stages.length === 0) {
      if (ins.kind !== 'ARG') throw new DockerfileParseError('no build stage in current context', ins.line, ins.column);
      metaArgs.push(ins);
    } else {
      stages[stages.length - 1]!.steps.push(ins);
    }
  }
  if (stages.length === 0) throw new DockerfileParseError('no build stage in current context', all[0]!.line + 1, 1);
  const names = new Set<string>();
  for (const s of stages) {
    if (s.name === undefined) continue;
    // Docker: stage names are case-insensitive and unique.
    if (names.has(s.name)) throw new DockerfileParseError(`duplicate stage name "${s.name}"`, s.from.line, s.from.column);
    names.add(s.name);
  }
  return { metaArgs, stages, escape, lines };
}

function toInstruction(node: SourceInstruction, escape: string, lines: readonly string[], source: string): Instruction {
  const keyword = node.keyword.toUpperCase();
  const line = node.line + 1;
  const column = node.column + 1;
  const fail = (reason: string): never => {
    throw new DockerfileParseError(reason, line, column);
  };
  if (NOT_SUPPORTED.has(keyword)) fail(`layerlab: ${keyword} is not supported yet`);
  if (!KNOWN.has(keyword)) fail(`unknown instruction: ${node.keyword}`);
  // `--name[=value]` words; only these four take flags.
  const flags = (/^(RUN|COPY|ADD|FROM)$/.test(keyword) ? flagWords(node.words, escape) : []).map((f) => f.slice(2).split(/=(.*)/));
  const rest = node.words.slice(flags.length);
  const raw = joinContinuations(rest.length ? source.slice(rest[0]!.start, rest[rest.length - 1]!.end) : '', escape);
  // The arguments without the leading `--flag` words.
  const args = stripFlags(raw, flags.length).trim();
  // Docker prints the instruction as written, flags included, continuations joined.
  const written = lines
    .slice(node.line, node.endLine + 1)
    .join('\n')
    .slice(node.column, undefined);
  const base = { line, column, endLine: node.endLine + 1, text: joinContinuations(written, escape).trim() };
  const flag = (name: string): string | undefined => {
    const f = flags.find((x) => x[0] === name);
    return f ? (f[1] ?? '') : undefined;
  };
  const allowFlags = (...allowed: string[]) => {
    for (const [name] of flags) if (!allowed.includes(name!)) fail(`unknown flag: ${name}`);
  };
  switch (keyword) {
    case 'FROM': {
      allowFlags();
      const words = args.split(/\s+/).filter(Boolean);
      if (words.length !== 1 && words.length !== 3) fail('FROM requires either one or three arguments');
      if (words.length === 3 && words[1]!.toLowerCase() !== 'as') fail('FROM requires argument "AS"');
      const stageName = words[2]?.toLowerCase();
      if (stageName !== undefined && !/^[a-z][a-z0-9-_.]*$/.test(stageName))
        fail(`invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`);
      return { ...base, kind: 'FROM', image: words[0]!, ...(stageName ? { stageName } : {}) };
    }
    case 'RUN':
    case 'CMD':
    case 'ENTRYPOINT': {
      if (keyword === 'RUN') allowFlags();
      if (args === '' && keyword === 'RUN') fail('RUN requires at least one argument');
      return { ...base, kind: keyword, ...commandForm(args) };
    }
    case 'SHELL': {
      const form = commandForm(args);
      if (form.form !== 'exec') fail('SHELL requires the arguments to be in JSON form');
      if (form.form === 'exec' && form.args.length === 0) fail('SHELL requires at least one argument');
      return { ...base, kind: 'SHELL', args: (form as { args: string[] }).args };
    }
    case 'COPY':
    case 'ADD': {
      allowFlags(...(keyword === 'COPY' ? ['from', 'chown', 'chmod'] : ['chown', 'chmod']));
      const json = jsonArray(args);
      const words = json ?? args.split(/[ \t]+/).filter(Boolean);
      if (words.length < 2) fail(`${keyword} requires at least two arguments`);
      const from = flag('from');
      const chown = flag('chown');
      const chmod = flag('chmod');
      return {
        ...base,
        kind: keyword,
        sources: words.slice(0, -1),
        dest: words[words.length - 1]!,
        json: json !== undefined,
        ...(from !== undefined ? { from } : {}),
        ...(chown !== undefined ? { chown } : {}),
        ...(chmod !== undefined ? { chmod } : {}),
      };
    }
    case 'ENV':
    case 'LABEL': {
      const props = properties(node.pairs, escape, source, false);
      if (props.length === 0) fail(`${keyword} requires at least one argument`);
      const pairs: [string, string][] = [];
      for (const [name, value] of props) {
        if (name === '') fail(`${keyword} names can not be blank`);
        if (value === undefined) fail(`${keyword} must have two arguments`);
        pairs.push([name, value!]);
      }
      return { ...base, kind: keyword, pairs };
    }
    case 'ARG': {
      const props = properties(node.pairs, escape, source, true);
      if (props.length === 0) fail('ARG requires at least one argument');
      return { ...base, kind: 'ARG', args: props.map(([name, value]) => (value === undefined ? { name } : { name, rawDefault: value })) };
    }
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
      if (args === '') fail(`${keyword} requires exactly one argument`);
      return { ...base, kind: keyword, raw: args };
    case 'EXPOSE':
      if (args === '') fail('EXPOSE requires at least one argument');
      return { ...base, kind: 'EXPOSE', raw: args };
    case 'VOLUME': {
      if (args === '') fail('VOLUME requires at least one argument');
      const json = jsonArray(args);
      return { ...base, kind: 'VOLUME', paths: json ?? args.split(/\s+/).filter(Boolean), json: json !== undefined };
    }
  }
  return fail(`unknown instruction: ${node.keyword}`);
}

/**
 * ENV, LABEL and ARG's `name=value` words, values raw: quotes and variables are processed
 * when the step runs, with the values then in force. Docker: ENV and LABEL also take the
 * legacy `name value…` (a first word without `=`: the rest is the value); ARG's words
 * are each a name or a `name=value` (parseNameOrNameVal).
 */
function properties(words: Word[], escape: string, source: string, arg: boolean): [string, string?][] {
  const text = (w: Word, end = w): string => source.slice(w.start, end.end);
  if (words.length > 1 && !arg && !text(words[0]!).includes('=')) {
    return [[propertyName(text(words[0]!), escape), rawValue(text(words[1]!, words[words.length - 1]), escape)]];
  }
  return words.map((w) => {
    const t = text(w);
    const eq = t.indexOf('=');
    // `"name"=value` names the quoted word; a quote before the `=` otherwise is part of a name with no value.
    return eq >= 0 && (!/["']/.test(t[0]!) || t[eq - 1] === t[0])
      ? [propertyName(t.slice(0, eq), escape), rawValue(t.slice(eq + 1), escape)]
      : [propertyName(t, escape)];
  });
}

/** A name is unquoted, or has its escapes resolved; continued lines keep their indentation
 * (dockerfile-ast's Property.getValue). */
function propertyName(text: string, escape: string): string {
  const t = withoutContinuations(text, escape, '(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*');
  return /^["']/.test(t) ? (t.length > 1 && t.endsWith(t[0]!) ? t.slice(1, -1) : t) : unescape(t, escape, true);
}

/** The value as written without its continuations, and without the comment lines and
 * indentation of the continued lines. */
function rawValue(text: string, escape: string): string {
  return withoutContinuations(text, escape, '(?:[ \\t\\r\\n]+|#[^\\n]*)*');
}

/** `text` without its escaped line breaks and then what `skip` matches. */
function withoutContinuations(text: string, escape: string, skip: string): string {
  return text.replace(new RegExp(`${quote(escape)}[ \\t]*\\r?\\n${skip}`, 'g'), '');
}

/** Docker: a JSON array of strings is the exec form; anything else is run by the shell. */
function commandForm(args: string): CommandForm {
  const json = jsonArray(args);
  return json === undefined ? { form: 'shell', command: args } : { form: 'exec', args: json };
}

function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // Docker: not valid JSON means the shell form, brackets and all.
  }
  return undefined;
}

/** Docker's line continuation: the escape character before a newline joins the lines;
 * comment lines inside a continued instruction are dropped. */
function joinContinuations(raw: string, escape: string): string {
  return raw
    .split(new RegExp(`${quote(escape)}[ \\t]*\\r?\\n`))
    .map((part, i) => (i === 0 ? part : part.replace(/^(?:[ \t]*#[^\n]*\n)+/, '')))
    .join('')
    .replace(/\r?\n/g, ' ');
}

function stripFlags(text: string, count: number): string {
  let rest = text.trimStart();
  for (let i = 0; i < count; i++) {
    const m = /^--\S*\s*/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  return rest;
}
