/** The syntax tree of a busybox-ash command line (POSIX shell grammar, ash's subset). */

export type Part =
  | { t: 'lit'; v: string; quoted: boolean }
  | { t: 'param'; name: string; op?: ParamOp; arg?: Word; quoted: boolean }
  | { t: 'cmd'; body: List; quoted: boolean }
  | { t: 'arith'; expr: Word; quoted: boolean };

/** `${x:-w}` and friends; `len` is `${#x}`. */
export type ParamOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | '#' | '##' | '%' | '%%' | 'len';

export interface Word {
  parts: Part[];
  /** The source text, for keywords, assignments and error messages. */
  raw: string;
}

export type RedirOp = '>' | '>>' | '<' | '>&' | '<&' | '<>' | '>|' | '<<' | '<<-';

export interface Redir {
  fd: number;
  op: RedirOp;
  target: Word;
  /** The here-document body (`<<`), unexpanded when its delimiter was quoted. */
  heredoc?: { body: Word; expand: boolean };
}

export interface Assign {
  name: string;
  value: Word;
}

export interface Simple {
  type: 'simple';
  /** Source line (1-based), for ash's `sh: cd: line N: …` messages. */
  line: number;
  assigns: Assign[];
  words: Word[];
  redirs: Redir[];
}

export interface Group {
  type: 'group' | 'subshell';
  body: List;
  redirs: Redir[];
}

export interface If {
  type: 'if';
  branches: { cond: List; body: List }[];
  otherwise?: List;
  redirs: Redir[];
}

export interface Loop {
  type: 'while' | 'until';
  cond: List;
  body: List;
  redirs: Redir[];
}

export interface For {
  type: 'for';
  name: string;
  /** Undefined: iterate over "$@". */
  items?: Word[];
  body: List;
  redirs: Redir[];
}

export interface Case {
  type: 'case';
  subject: Word;
  arms: { patterns: Word[]; body: List }[];
  redirs: Redir[];
}

export interface FuncDef {
  type: 'func';
  name: string;
  body: Command;
}

export type Command = Simple | Group | If | Loop | For | Case | FuncDef;

export interface Pipeline {
  type: 'pipeline';
  bang: boolean;
  cmds: Command[];
}

export interface AndOr {
  type: 'andor';
  first: Pipeline;
  rest: { op: '&&' | '||'; p: Pipeline }[];
}

export interface List {
  type: 'list';
  items: { cmd: AndOr; background: boolean }[];
}
