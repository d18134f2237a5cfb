/**
 * The builder's parser as it was with dockerfile-ast (the parser VS Code's Docker support
 * uses), logic unchanged: the oracle the differential test holds our own line reader to
 * (dockerfile-parser.oracle.test.ts). The embed bundle dropped dockerfile-ast for bytes;
 * the editor still uses it, so it stays installed.
 */
import { DockerfileParser, type Instruction as AstInstruction, type ModifiableInstruction, type PropertyInstruction } from 'dockerfile-ast';
import { DockerfileParseError } from '../../../src/engine/builder/build-errors.js';
import type { CommandForm, Instruction, ParsedDockerfile, Stage } from '../../../src/engine/builder/instruction.js';

const KNOWN = new Set([
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
 * Parses a Dockerfile with `dockerfile-ast` (the parser VS Code's Docker support uses)
 * and checks it as BuildKit's `instructions.Parse` does, so a mistake is reported with
 * Docker's words, its line and our column.
 */
export function parseDockerfile(source: string): ParsedDockerfile {
  const ast = DockerfileParser.parse(source);
  const escape = ast.getEscapeCharacter();
  const lines = source.split('\n');
  const all = ast.getInstructions();
  if (all.length === 0) throw new DockerfileParseError('file with no instructions', 1, 1);
  const metaArgs: ParsedDockerfile['metaArgs'] = [];
  const stages: Stage[] = [];
  for (const node of all) {
    const ins = toInstruction(node, escape, lines);
    if (ins.kind === 'FROM') {
      stages.push({ index: stages.length, ...(ins.stageName ? { name: ins.stageName } : {}), from: ins, steps: [] });
    } else if (stages.length === 0) {
      if (ins.kind !== 'ARG') throw new DockerfileParseError('no build stage in current context', ins.line, ins.column);
      metaArgs.push(ins);
    } else {
      stages[stages.length - 1]!.steps.push(ins);
    }
  }
  if (stages.length === 0) throw new DockerfileParseError('no build stage in current context', all[0]!.getRange().start.line + 1, 1);
  const names = new Set<string>();
  for (const s of stages) {
    if (s.name === undefined) continue;
    // Docker: stage names are case-insensitive and unique.
    if (names.has(s.name)) throw new DockerfileParseError(`duplicate stage name "${s.name}"`, s.from.line, s.from.column);
    names.add(s.name);
  }
  return { metaArgs, stages, escape, lines };
}

function toInstruction(node: AstInstruction, escape: string, lines: readonly string[]): Instruction {
  const keyword = node.getKeyword();
  const range = node.getRange();
  const pos = node.getInstructionRange().start;
  const line = pos.line + 1;
  const column = pos.character + 1;
  const fail = (reason: string): never => {
    throw new DockerfileParseError(reason, line, column);
  };
  if (NOT_SUPPORTED.has(keyword)) fail(`layerlab: ${keyword} is not supported yet`);
  if (!KNOWN.has(keyword)) fail(`unknown instruction: ${node.getInstruction()}`);
  const raw = joinContinuations(node.getRawArgumentsContent() ?? '', escape);
  const flags = 'getFlags' in node ? (node as ModifiableInstruction).getFlags() : [];
  // The arguments without the leading `--flag` words.
  const args = stripFlags(raw, flags.length).trim();
  // Docker prints the instruction as written, flags included, continuations joined.
  const written = lines
    .slice(pos.line, range.end.line + 1)
    .join('\n')
    .slice(pos.character, undefined);
  const base = { line, column, endLine: range.end.line + 1, text: joinContinuations(written, escape).trim() };
  const flag = (name: string): string | undefined => {
    const f = flags.find((x) => x.getName() === name);
    return f ? (f.getValue() ?? '') : undefined;
  };
  const allowFlags = (...allowed: string[]) => {
    for (const f of flags) if (!allowed.includes(f.getName())) fail(`unknown flag: ${f.getName()}`);
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
      const props = (node as PropertyInstruction).getProperties();
      if (props.length === 0) fail(`${keyword} requires at least one argument`);
      const pairs: [string, string][] = [];
      for (const p of props) {
        const name = p.getName();
        // dockerfile-ast's "unescaped" value is the raw text; quotes and variables are
        // processed when the step runs, with the values then in force.
        const value = p.getUnescapedValue();
        if (name === '') fail(`${keyword} names can not be blank`);
        if (value === null) fail(`${keyword} must have two arguments`);
        pairs.push([name, value!]);
      }
      return { ...base, kind: keyword, pairs };
    }
    case 'ARG': {
      const props = (node as PropertyInstruction).getProperties();
      if (props.length === 0) fail('ARG requires at least one argument');
      return {
        ...base,
        kind: 'ARG',
        args: props.map((p) => {
          const value = p.getUnescapedValue();
          return value === null ? { name: p.getName() } : { name: p.getName(), rawDefault: value };
        }),
      };
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
  return fail(`unknown instruction: ${node.getInstruction()}`);
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
  const esc = escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return raw
    .split(new RegExp(`${esc}[ \\t]*\\r?\\n`))
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
