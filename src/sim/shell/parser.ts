import type { AndOr, Assign, Case, Command, For, If, List, Loop, ParamOp, Part, Pipeline, Redir, RedirOp, Simple, Word } from './ast.js';

/** busybox ash's wording: `sh: syntax error: unexpected "fi"`; the shell exits 2. */
export class ShSyntaxError extends Error {
  constructor(message: string) {
    super(`syntax error: ${message}`);
    this.name = 'ShSyntaxError';
  }
}

type Token =
  | { kind: 'op'; v: string; start: number; end: number }
  | { kind: 'word'; w: Word; start: number; end: number; ioNumber?: number }
  | { kind: 'eof'; start: number; end: number };

const OPS = ['&&', '||', ';;', '<<-', '<<', '>>', '>&', '<&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>', '\n'];
const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const KEYWORDS = new Set(['if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', '{', '}', '!']);
/** Words that end a list: a command cannot start with them. */
const LIST_END = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPECIAL_PARAMS = new Set(['?', '$', '#', '@', '*', '!', '-', '0']);

export function parse(src: string): List {
  return new Parser(src).parseProgram();
}

class Parser {
  private pos = 0;
  private peeked: Token | undefined;
  private pendingHeredocs: Redir[] = [];

  constructor(private readonly src: string) {}

  parseProgram(): List {
    const list = this.parseList();
    const t = this.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return list;
  }

  /** Parses a `$( … )` body starting at `pos`; returns the list and the position after `)`. */
  static parseSubst(src: string, pos: number): { list: List; end: number } {
    const p = new Parser(src);
    p.pos = pos;
    const list = p.parseList();
    const t = p.peek();
    if (t.kind === 'eof') throw new ShSyntaxError('unexpected end of file (expecting ")")');
    if (t.kind !== 'op' || t.v !== ')') throw p.unexpected(t);
    return { list, end: t.end };
  }

  private lineAt(pos: number): number {
    let n = 1;
    for (let i = this.src.indexOf('\n'); i >= 0 && i < pos; i = this.src.indexOf('\n', i + 1)) n++;
    return n;
  }

  // ---- tokens -------------------------------------------------------------

  private peek(): Token {
    if (!this.peeked) this.peeked = this.lex();
    return this.peeked;
  }

  private next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    this.pos = t.end;
    if (t.kind === 'op' && t.v === '\n') this.readHeredocs();
    return t;
  }

  private skipBlanks(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && s[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private lex(): Token {
    this.skipBlanks();
    const start = this.pos;
    if (start >= this.src.length) return { kind: 'eof', start, end: start };
    for (const op of OPS) {
      if (this.src.startsWith(op, start)) return { kind: 'op', v: op, start, end: start + op.length };
    }
    const saved = this.pos;
    const w = this.readWord();
    const end = this.pos;
    this.pos = saved;
    const next = this.src[end];
    if ((next === '<' || next === '>') && /^[0-9]$/.test(w.raw)) return { kind: 'word', w, start, end, ioNumber: Number(w.raw) };
    return { kind: 'word', w, start, end };
  }

  private unexpected(t: Token): ShSyntaxError {
    if (t.kind === 'eof') return new ShSyntaxError('unexpected end of file');
    const text = t.kind === 'op' ? (t.v === '\n' ? 'newline' : t.v) : t.w.raw;
    return new ShSyntaxError(`unexpected "${text}"`);
  }

  private expectKeyword(k: string): void {
    const t = this.peek();
    if (this.isKeyword(t, k)) {
      this.next();
      return;
    }
    if (t.kind === 'eof') throw new ShSyntaxError(`unexpected end of file (expecting "${k}")`);
    throw this.unexpected(t);
  }

  private expectOp(op: string): void {
    const t = this.peek();
    if (t.kind === 'op' && t.v === op) {
      this.next();
      return;
    }
    if (t.kind === 'eof') throw new ShSyntaxError(`unexpected end of file (expecting "${op}")`);
    throw this.unexpected(t);
  }

  private isKeyword(t: Token, k?: string): boolean {
    if (t.kind !== 'word' || t.ioNumber !== undefined) return false;
    const w = t.w;
    if (w.parts.length !== 1 || w.parts[0]!.t !== 'lit' || w.parts[0]!.quoted) return false;
    return k === undefined ? KEYWORDS.has(w.raw) : w.raw === k;
  }

  private isOp(t: Token, ...ops: string[]): boolean {
    return t.kind === 'op' && ops.includes(t.v);
  }

  private skipNewlines(): void {
    while (this.isOp(this.peek(), '\n')) this.next();
  }

  // ---- grammar ------------------------------------------------------------

  /** A list of and-or lists separated by `;`, `&` or newlines, up to a closing word. */
  private parseList(): List {
    const list: List = { type: 'list', items: [] };
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (this.isOp(t, ')', ';;')) break;
      if (this.isKeyword(t) && LIST_END.has((t as { w: Word }).w.raw)) break;
      if (this.isOp(t, ';', '&')) throw this.unexpected(t);
      const cmd = this.parseAndOr();
      const sep = this.peek();
      if (this.isOp(sep, ';', '&')) {
        this.next();
        list.items.push({ cmd, background: (sep as { v: string }).v === '&' });
      } else {
        list.items.push({ cmd, background: false });
        if (!this.isOp(sep, '\n')) break;
      }
    }
    return list;
  }

  /** A list that must hold at least one command (`then`, `do`, `{`). */
  private parseBody(closer: string): List {
    const list = this.parseList();
    if (list.items.length === 0) {
      const t = this.peek();
      if (t.kind === 'eof') throw new ShSyntaxError(`unexpected end of file (expecting "${closer}")`);
      throw this.unexpected(t);
    }
    return list;
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '&&', '||')) break;
      this.next();
      this.skipNewlines();
      rest.push({ op: (t as { v: '&&' | '||' }).v, p: this.parsePipeline() });
    }
    return { type: 'andor', first, rest };
  }

  private parsePipeline(): Pipeline {
    let bang = false;
    if (this.isKeyword(this.peek(), '!')) {
      this.next();
      bang = true;
    }
    const cmds = [this.parseCommand()];
    while (this.isOp(this.peek(), '|')) {
      this.next();
      this.skipNewlines();
      cmds.push(this.parseCommand());
    }
    return { type: 'pipeline', bang, cmds };
  }

  private parseCommand(): Command {
    const t = this.peek();
    if (t.kind === 'eof') throw this.unexpected(t);
    if (this.isOp(t, '(')) {
      this.next();
      const body = this.parseBody(')');
      this.expectOp(')');
      return { type: 'subshell', body, redirs: this.parseRedirs() };
    }
    if (this.isKeyword(t)) {
      switch ((t as { w: Word }).w.raw) {
        case '{': {
          this.next();
          const body = this.parseBody('}');
          this.expectKeyword('}');
          return { type: 'group', body, redirs: this.parseRedirs() };
        }
        case 'if':
          return this.parseIf();
        case 'while':
        case 'until':
          return this.parseLoop();
        case 'for':
          return this.parseFor();
        case 'case':
          return this.parseCase();
        default:
          throw this.unexpected(t);
      }
    }
    if (t.kind === 'op' && !['<', '>', '>>', '<<', '<<-', '>&', '<&', '<>', '>|'].includes(t.v)) throw this.unexpected(t);
    return this.parseSimple();
  }

  private parseIf(): If {
    this.next();
    const branches: If['branches'] = [];
    let otherwise: List | undefined;
    const cond = this.parseBody('then');
    this.expectKeyword('then');
    branches.push({ cond, body: this.parseBody('fi') });
    for (;;) {
      const t = this.peek();
      if (this.isKeyword(t, 'elif')) {
        this.next();
        const c = this.parseBody('then');
        this.expectKeyword('then');
        branches.push({ cond: c, body: this.parseBody('fi') });
      } else if (this.isKeyword(t, 'else')) {
        this.next();
        otherwise = this.parseBody('fi');
      } else break;
    }
    this.expectKeyword('fi');
    const node: If = { type: 'if', branches, redirs: this.parseRedirs() };
    if (otherwise) node.otherwise = otherwise;
    return node;
  }

  private parseLoop(): Loop {
    const kind = (this.next() as { w: Word }).w.raw as 'while' | 'until';
    const cond = this.parseBody('do');
    this.expectKeyword('do');
    const body = this.parseBody('done');
    this.expectKeyword('done');
    return { type: kind, cond, body, redirs: this.parseRedirs() };
  }

  private parseFor(): For {
    this.next();
    const nameTok = this.next();
    if (nameTok.kind !== 'word' || !NAME_RE.test(nameTok.w.raw)) throw this.unexpected(nameTok);
    const node: For = { type: 'for', name: nameTok.w.raw, body: { type: 'list', items: [] }, redirs: [] };
    this.skipNewlines();
    if (this.isKeyword(this.peek(), 'in')) {
      this.next();
      const items: Word[] = [];
      for (;;) {
        const t = this.peek();
        if (t.kind !== 'word') break;
        this.next();
        items.push(t.w);
      }
      node.items = items;
      const sep = this.peek();
      if (this.isOp(sep, ';', '\n')) this.next();
      else if (sep.kind === 'eof') throw new ShSyntaxError('unexpected end of file (expecting "do")');
      else throw this.unexpected(sep);
    } else if (this.isOp(this.peek(), ';')) this.next();
    this.skipNewlines();
    this.expectKeyword('do');
    node.body = this.parseBody('done');
    this.expectKeyword('done');
    node.redirs = this.parseRedirs();
    return node;
  }

  private parseCase(): Case {
    this.next();
    const subj = this.next();
    if (subj.kind !== 'word') throw this.unexpected(subj);
    this.skipNewlines();
    this.expectKeyword('in');
    const arms: Case['arms'] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isKeyword(t, 'esac')) {
        this.next();
        break;
      }
      if (t.kind === 'eof') throw new ShSyntaxError('unexpected end of file (expecting "esac")');
      if (this.isOp(t, '(')) this.next();
      const patterns: Word[] = [];
      for (;;) {
        const p = this.next();
        if (p.kind !== 'word') throw this.unexpected(p);
        patterns.push(p.w);
        if (this.isOp(this.peek(), '|')) this.next();
        else break;
      }
      this.expectOp(')');
      const body = this.parseList();
      arms.push({ patterns, body });
      if (this.isOp(this.peek(), ';;')) this.next();
      else {
        this.skipNewlines();
        this.expectKeyword('esac');
        break;
      }
    }
    return { type: 'case', subject: subj.w, arms, redirs: this.parseRedirs() };
  }

  private parseRedirs(): Redir[] {
    const redirs: Redir[] = [];
    for (;;) {
      const r = this.tryRedir();
      if (!r) return redirs;
      redirs.push(r);
    }
  }

  private tryRedir(): Redir | undefined {
    const t = this.peek();
    let fd: number | undefined;
    if (t.kind === 'word' && t.ioNumber !== undefined) {
      fd = t.ioNumber;
      this.next();
    } else if (t.kind !== 'op' || !['<', '>', '>>', '<<', '<<-', '>&', '<&', '<>', '>|'].includes(t.v)) return undefined;
    const opTok = this.next() as { v: RedirOp };
    const op = opTok.v;
    const target = this.next();
    if (target.kind !== 'word') throw this.unexpected(target);
    const redir: Redir = { fd: fd ?? (op.startsWith('<') ? 0 : 1), op, target: target.w };
    if (op === '<<' || op === '<<-') this.pendingHeredocs.push(redir);
    return redir;
  }

  private parseSimple(): Command {
    const cmd: Simple = { type: 'simple', line: this.lineAt(this.peek().start), assigns: [], words: [], redirs: [] };
    for (;;) {
      const r = this.tryRedir();
      if (r) {
        cmd.redirs.push(r);
        continue;
      }
      const t = this.peek();
      if (t.kind !== 'word') break;
      if (cmd.words.length === 0) {
        const a = asAssignment(t.w);
        if (a) {
          this.next();
          cmd.assigns.push(a);
          continue;
        }
      }
      this.next();
      cmd.words.push(t.w);
      // Function definition: `name() compound-command`.
      if (cmd.words.length === 1 && cmd.assigns.length === 0 && this.isOp(this.peek(), '(') && this.src[this.peek().start + 1] === ')') {
        const name = t.w.raw;
        this.next();
        this.pos += 1;
        this.peeked = undefined;
        this.skipNewlines();
        return { type: 'func', name, body: this.parseCommand() };
      }
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) throw this.unexpected(this.peek());
    return cmd;
  }

  private readHeredocs(): void {
    const docs = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const r of docs) {
      const delim = unquote(r.target.raw);
      const quoted = delim !== r.target.raw;
      const strip = r.op === '<<-';
      let body = '';
      for (;;) {
        if (this.pos >= this.src.length) break;
        let nl = this.src.indexOf('\n', this.pos);
        if (nl < 0) nl = this.src.length;
        let line = this.src.slice(this.pos, nl);
        this.pos = Math.min(nl + 1, this.src.length);
        if (strip) line = line.replace(/^\t+/, '');
        if (line === delim) break;
        body += line + '\n';
      }
      r.heredoc = { body: quoted ? { parts: [{ t: 'lit', v: body, quoted: true }], raw: body } : parseHeredocBody(body), expand: !quoted };
    }
  }

  // ---- words --------------------------------------------------------------

  /** Reads one word at `pos` (quotes, escapes, `$…`, backquotes) up to a metacharacter. */
  private readWord(): Word {
    const s = this.src;
    const start = this.pos;
    const parts: Part[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit, quoted: false });
      lit = '';
    };
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (META.has(c)) break;
      if (c === '\\') {
        const n = s[this.pos + 1];
        this.pos += 2;
        if (n === undefined) {
          lit += '\\';
          break;
        }
        if (n === '\n') continue;
        flush();
        parts.push({ t: 'lit', v: n, quoted: true });
      } else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShSyntaxError('unterminated quoted string');
        flush();
        parts.push({ t: 'lit', v: s.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        this.pos++;
        const inner = this.readDouble();
        if (inner.length === 0) parts.push({ t: 'lit', v: '', quoted: true });
        parts.push(...inner);
      } else if (c === '$' || c === '`') {
        const p = this.readDollar(false);
        if (p) {
          flush();
          parts.push(p);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return { parts, raw: s.slice(start, this.pos) };
  }

  /** The inside of "…", after the opening quote; leaves `pos` after the closing one. */
  private readDouble(heredoc = false): Part[] {
    const s = this.src;
    const parts: Part[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit, quoted: true });
      lit = '';
    };
    for (;;) {
      if (this.pos >= s.length) {
        if (heredoc) break;
        throw new ShSyntaxError('unterminated quoted string');
      }
      const c = s[this.pos]!;
      if (c === '"' && !heredoc) {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const n = s[this.pos + 1];
        // POSIX: inside double quotes a backslash escapes only $ ` " \ and newline.
        if (n === '$' || n === '`' || (n === '"' && !heredoc) || n === '\\') {
          lit += n;
          this.pos += 2;
        } else if (n === '\n') this.pos += 2;
        else {
          lit += '\\';
          this.pos++;
        }
      } else if (c === '$' || c === '`') {
        const p = this.readDollar(true);
        if (p) {
          flush();
          parts.push(p);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return parts;
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))` or a backquoted command; undefined for a lone `$`. */
  private readDollar(quoted: boolean): Part | undefined {
    const s = this.src;
    if (s[this.pos] === '`') {
      let end = this.pos + 1;
      let body = '';
      while (end < s.length && s[end] !== '`') {
        if (s[end] === '\\' && (s[end + 1] === '`' || s[end + 1] === '\\' || s[end + 1] === '$')) {
          body += s[end + 1];
          end += 2;
        } else body += s[end++];
      }
      if (end >= s.length) throw new ShSyntaxError('unterminated quoted string');
      this.pos = end + 1;
      return { t: 'cmd', body: parse(body), quoted };
    }
    const n = s[this.pos + 1];
    if (n === '(' && s[this.pos + 2] === '(') {
      const close = findArithEnd(s, this.pos + 3);
      if (close >= 0) {
        const inner = s.slice(this.pos + 3, close);
        this.pos = close + 2;
        return { t: 'arith', expr: parseHeredocBody(inner), quoted };
      }
    }
    if (n === '(') {
      const { list, end } = Parser.parseSubst(s, this.pos + 2);
      this.pos = end;
      return { t: 'cmd', body: list, quoted };
    }
    if (n === '{') return this.readBraceParam(quoted);
    if (n !== undefined && (SPECIAL_PARAMS.has(n) || /[0-9]/.test(n))) {
      this.pos += 2;
      return { t: 'param', name: n, quoted };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos + 1, this.pos + 256));
    if (!m) return undefined;
    this.pos += 1 + m[0].length;
    return { t: 'param', name: m[0], quoted };
  }

  private readBraceParam(quoted: boolean): Part {
    const s = this.src;
    let i = this.pos + 2;
    let len = false;
    if (s[i] === '#' && s[i + 1] !== '}') {
      len = true;
      i++;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*!0-])/.exec(s.slice(i, i + 256));
    if (!m) throw new ShSyntaxError('bad substitution');
    const name = m[0];
    i += name.length;
    if (len) {
      if (s[i] !== '}') throw new ShSyntaxError('bad substitution');
      this.pos = i + 1;
      return { t: 'param', name, op: 'len', quoted };
    }
    if (s[i] === '}') {
      this.pos = i + 1;
      return { t: 'param', name, quoted };
    }
    const opm = /^(:-|:=|:\+|:\?|-|=|\+|\?|##|#|%%|%)/.exec(s.slice(i, i + 2));
    if (!opm) throw new ShSyntaxError('bad substitution');
    const op = opm[0] as ParamOp;
    i += op.length;
    // The argument is a word that may itself hold quotes and expansions, up to the matching `}`.
    const sub = new Parser(s);
    sub.pos = i;
    const arg = sub.readParamArg();
    this.pos = sub.pos + 1;
    return { t: 'param', name, op, arg, quoted };
  }

  private readParamArg(): Word {
    const s = this.src;
    const start = this.pos;
    const parts: Part[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit, quoted: false });
      lit = '';
    };
    for (;;) {
      if (this.pos >= s.length) throw new ShSyntaxError('unterminated quoted string');
      const c = s[this.pos]!;
      if (c === '}') break;
      if (c === '\\') {
        flush();
        parts.push({ t: 'lit', v: s[this.pos + 1] ?? '', quoted: true });
        this.pos += 2;
      } else if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShSyntaxError('unterminated quoted string');
        flush();
        parts.push({ t: 'lit', v: s.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        this.pos++;
        parts.push(...this.readDouble());
      } else if (c === '$' || c === '`') {
        const p = this.readDollar(false);
        if (p) {
          flush();
          parts.push(p);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return { parts, raw: s.slice(start, this.pos) };
  }
}

function findArithEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      if (depth === 0) return s[i + 1] === ')' ? i : -1;
      depth--;
    }
  }
  return -1;
}

/** Text as inside double quotes without the quotes: here-documents and `$((…))`. */
function parseHeredocBody(text: string): Word {
  const p = new Parser(text);
  const parts = (p as unknown as { readDouble(heredoc: boolean): Part[] }).readDouble(true);
  return { parts, raw: text };
}

function unquote(raw: string): string {
  return raw.replace(/\\(.)|'([^']*)'|"([^"]*)"/g, (_m, a: string, b: string, c: string) => a ?? b ?? c ?? '');
}

function asAssignment(w: Word): Assign | undefined {
  const first = w.parts[0];
  if (!first || first.t !== 'lit' || first.quoted) return undefined;
  const eq = first.v.indexOf('=');
  if (eq <= 0 || !NAME_RE.test(first.v.slice(0, eq))) return undefined;
  const rest = first.v.slice(eq + 1);
  const parts: Part[] = rest ? [{ t: 'lit', v: rest, quoted: false }, ...w.parts.slice(1)] : w.parts.slice(1);
  return { name: first.v.slice(0, eq), value: { parts, raw: w.raw.slice(eq + 1) } };
}

export { KEYWORDS };
