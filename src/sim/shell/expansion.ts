import { BufferOutput } from '../process/streams.js';
import type { List, Part, Word } from './ast.js';
import { evalArith } from './arith.js';
import { ShellError } from './control.js';
import { glob } from './glob.js';
import type { Shell, ShellIO } from './interpreter.js';
import { hasGlob, patternToRegExp } from './pattern.js';

interface Field {
  text: string;
  pattern: string;
  glob: boolean;
  /** A quoted part was seen: the field survives even when empty (`""`). */
  keep: boolean;
}

/** Field splitting and pathname expansion: the words of a command line. */
export async function expandWords(sh: Shell, words: Word[], io: ShellIO): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) {
    // Fast path: a plain unquoted literal without glob characters is its own field.
    const only = w.parts[0];
    if (w.parts.length === 1 && only!.t === 'lit') {
      if (only!.quoted || !hasGlob(only!.v)) {
        out.push(only!.v);
        continue;
      }
    }
    for (const f of await expandFields(sh, w, io)) {
      if (f.glob) {
        const matches = glob(sh.fs, sh.cwd, f.pattern);
        if (matches.length) {
          out.push(...matches);
          continue;
        }
      }
      out.push(f.text);
    }
  }
  return out;
}

/** One string, no splitting, no globbing: assignments, redirection targets, here-docs. */
export async function expandString(sh: Shell, w: Word, io: ShellIO): Promise<string> {
  let s = '';
  for (const part of w.parts) s += await partText(sh, part, io);
  return s;
}

/** A case pattern: quoted characters are escaped so they match literally. */
export async function expandPattern(sh: Shell, w: Word, io: ShellIO): Promise<string> {
  let s = '';
  for (const part of w.parts) {
    const t = await partText(sh, part, io);
    s += part.quoted ? t.replace(/[\\*?[]/g, (c) => `\\${c}`) : t;
  }
  return s;
}

async function partText(sh: Shell, part: Part, io: ShellIO): Promise<string> {
  switch (part.t) {
    case 'lit':
      return part.v;
    case 'param':
      return paramValue(sh, part, io);
    case 'cmd':
      return commandSubst(sh, part.body, io);
    case 'arith':
      return String(arith(sh, await expandString(sh, part.expr, io)));
  }
}

/** `$((…))` and `let`: the shell's variables are the expression's. */
export function arith(sh: Shell, expr: string): number {
  try {
    return evalArith(
      expr,
      (n) => sh.getVar(n),
      (n, v) => sh.setVar(n, v),
    );
  } catch (e) {
    throw new ShellError((e as Error).message);
  }
}

async function expandFields(sh: Shell, w: Word, io: ShellIO): Promise<Field[]> {
  const fields: Field[] = [];
  let cur: Field | undefined;
  const ensure = (): Field => (cur ??= { text: '', pattern: '', glob: false, keep: false });
  const addLiteral = (t: string, quoted: boolean) => {
    const f = ensure();
    f.text += t;
    if (quoted) {
      f.pattern += t.replace(/[\\*?[]/g, (c) => `\\${c}`);
      f.keep = true;
    } else {
      f.pattern += t;
      if (hasGlob(t)) f.glob = true;
    }
  };
  const ifs = sh.vars.get('IFS') ?? ' \t\n';
  const addSplit = (t: string) => {
    if (!ifs) return addLiteral(t, false);
    const pieces = splitIfs(t, ifs);
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (piece === null) {
        if (cur) fields.push(cur);
        cur = undefined;
      } else addLiteral(piece, false);
    }
  };
  for (const part of w.parts) {
    if (part.t === 'lit') {
      addLiteral(part.v, part.quoted);
      continue;
    }
    if (part.t === 'param' && part.name === '@' && part.quoted && !part.op) {
      const ps = sh.positional;
      ps.forEach((p, i) => {
        if (i > 0) {
          if (cur) fields.push(cur);
          cur = undefined;
        }
        addLiteral(p, true);
      });
      continue;
    }
    const text = await partText(sh, part, io);
    if (part.quoted) addLiteral(text, true);
    else addSplit(text);
  }
  if (cur && (cur.text !== '' || cur.keep)) fields.push(cur);
  return fields;
}

/** Field splitting: IFS characters end a field (null marks a break), runs collapse. */
function splitIfs(text: string, ifs: string): (string | null)[] {
  const out: (string | null)[] = [];
  let word = '';
  for (const c of text) {
    if (ifs.includes(c)) {
      if (word) out.push(word);
      word = '';
      if (out[out.length - 1] !== null) out.push(null);
    } else word += c;
  }
  if (word) out.push(word);
  return out;
}

/** `$name` and `${name<op>word}`: defaults, assignment, errors, length, prefix/suffix removal. */
async function paramValue(sh: Shell, part: Extract<Part, { t: 'param' }>, io: ShellIO): Promise<string> {
  const v = sh.getVar(part.name);
  if (!part.op) return v ?? '';
  const arg = async () => (part.arg ? expandString(sh, part.arg, io) : '');
  const pat = async () => (part.arg ? expandPattern(sh, part.arg, io) : '');
  switch (part.op) {
    case 'len':
      return String((v ?? '').length);
    case ':-':
      return v ? v : arg();
    case '-':
      return v !== undefined ? v : arg();
    case ':=':
    case '=': {
      if (part.op === ':=' ? v : v !== undefined) return v!;
      const a = await arg();
      sh.setVar(part.name, a);
      return a;
    }
    case ':+':
      return v ? arg() : '';
    case '+':
      return v !== undefined ? arg() : '';
    case ':?':
    case '?': {
      if (part.op === ':?' ? v : v !== undefined) return v!;
      const msg = (await arg()) || 'parameter not set';
      throw new ShellError(`${part.name}: ${msg}`);
    }
    case '#':
    case '##':
    case '%':
    case '%%': {
      const s = v ?? '';
      const re = patternToRegExp(await pat());
      const longest = part.op.length === 2;
      if (part.op[0] === '#') {
        for (let i = longest ? s.length : 0; longest ? i >= 0 : i <= s.length; i += longest ? -1 : 1) {
          if (re.test(s.slice(0, i))) return s.slice(i);
        }
      } else {
        for (let i = longest ? 0 : s.length; longest ? i <= s.length : i >= 0; i += longest ? 1 : -1) {
          if (re.test(s.slice(i))) return s.slice(0, i);
        }
      }
      return s;
    }
  }
}

/** `$(…)`: a subshell whose output, less its trailing newlines, is the text; its status becomes `$?`. */
async function commandSubst(sh: Shell, body: List, io: ShellIO): Promise<string> {
  const sub = sh.clone();
  const out = new BufferOutput();
  const sio: ShellIO = { stdin: io.stdin, stdout: out, stderr: io.stderr };
  let status: number;
  try {
    status = await sub.runList(body, sio);
  } catch (e) {
    status = sub.exitStatusOf(e, sio);
  }
  sh.status = status;
  return out.text().replace(/\n+$/, '');
}
