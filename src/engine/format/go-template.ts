import { goJson } from './go-json.js';

/**
 * The subset of Go's text/template that `docker … --format` is used with in lessons:
 * `{{.A.B}}`, `{{json .A}}`, `{{.A | json}}`, `{{upper .A}}`, `{{lower .A}}`,
 * `{{join .A ","}}`, `{{split .A ":"}}`, `{{index .A "k"}}`, `{{len .A}}`, `{{println .A}}`. Values print as Go's
 * fmt does (`[a b]` for slices, `map[k:v]` for maps, `<no value>` for missing keys).
 */
export class TemplateError extends Error {}

type Value = unknown;

export function renderTemplate(template: string, data: Value): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}}', open);
    if (close < 0) throw new TemplateError(`template: :1: unclosed action`);
    out += evalPipeline(template.slice(open + 2, close).trim(), data);
    i = close + 2;
  }
  return out;
}

function evalPipeline(src: string, data: Value): string {
  const stages = src.split('|').map((s) => s.trim());
  let value: Value = evalCommand(stages[0]!, data, undefined);
  for (const stage of stages.slice(1)) value = evalCommand(stage, data, value);
  return typeof value === 'string' ? value : printValue(value);
}

const NO_VALUE = Symbol('no value');

function evalCommand(src: string, data: Value, piped: Value): Value {
  const words = splitWords(src);
  const [head, ...rest] = words;
  if (head === undefined) throw new TemplateError('template: :1: missing value for command');
  const args = rest.map((w) => evalArg(w, data));
  if (piped !== undefined) args.push(piped);
  switch (head) {
    case 'json':
      return goJson(args[0]);
    case 'upper':
      return printValue(args[0]).toUpperCase();
    case 'lower':
      return printValue(args[0]).toLowerCase();
    case 'len':
      return Array.isArray(args[0]) ? args[0].length : typeof args[0] === 'string' ? args[0].length : Object.keys(args[0] ?? {}).length;
    case 'split':
      // Docker's template funcs (cli/templates): strings.Split.
      return printValue(args[0]).split(String(args[1] ?? ''));
    case 'join':
      return (Array.isArray(args[0]) ? args[0] : []).map(printValue).join(String(args[1] ?? ''));
    case 'index': {
      const [obj, key] = args;
      return (obj as Record<string, unknown> | null)?.[String(key)] ?? NO_VALUE;
    }
    case 'println':
      return `${args.map(printValue).join(' ')}\n`;
    case 'print':
      return args.map(printValue).join('');
    default:
      if (rest.length && !head.startsWith('.')) throw new TemplateError(`template: :1: function "${head}" not defined`);
      if (!head.startsWith('.') && !head.startsWith('"')) throw new TemplateError(`template: :1: function "${head}" not defined`);
      return evalArg(head, data);
  }
}

function evalArg(word: string, data: Value): Value {
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+$/.test(word)) return Number(word);
  if (word === '.') return data;
  if (!word.startsWith('.')) throw new TemplateError(`template: :1: function "${word}" not defined`);
  let v: Value = data;
  for (const key of word.slice(1).split('.')) {
    if (v === null || v === undefined || typeof v !== 'object') return NO_VALUE;
    if (!(key in (v as object))) return NO_VALUE;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function splitWords(src: string): string[] {
  return src.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
}

/** Go's `fmt.Sprint` of decoded JSON values. */
export function printValue(v: Value): string {
  if (v === NO_VALUE) return '<no value>';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(printValue).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v as object)
      .sort()
      .map((k) => `${k}:${printValue((v as Record<string, unknown>)[k])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(v);
}
