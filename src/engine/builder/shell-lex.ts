import { BuildError } from './build-errors.js';

/**
 * Docker's Dockerfile word processing (BuildKit `frontend/dockerfile/shell/lex.go`):
 * quote removal and `$VAR` / `${VAR}` / `${VAR:-word}` / `${VAR:+word}` / `${VAR:?msg}`
 * expansion for the instructions Docker expands (FROM, COPY, ADD, ENV, ARG, LABEL,
 * WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL). RUN, CMD and ENTRYPOINT are never
 * expanded here: the container's shell does that.
 */
export type Vars = ReadonlyMap<string, string>;

export interface LexOptions {
  /** The `# escape=` directive's character (default `\`). */
  escape?: string;
}

/** Expands one word: quotes removed, variables substituted, no splitting. */
export function processWord(word: string, vars: Vars, opts: LexOptions = {}): string {
  return lex(word, vars, opts.escape ?? '\\', false).join('');
}

/** Expands a line into words, splitting on unquoted whitespace (as EXPOSE, VOLUME and
 * the shell form of COPY's arguments are). */
export function processWords(text: string, vars: Vars, opts: LexOptions = {}): string[] {
  return lex(text, vars, opts.escape ?? '\\', true);
}

function lex(text: string, vars: Vars, escape: string, split: boolean): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const peek = () => text[i];
  const variable = (): string => {
    // At `$`, already consumed.
    const c = peek();
    if (c === '{') {
      i++;
      const name = readName();
      if (name === '') throw new BuildError(`failed to process "${text}": missing ':' in substitution`);
      if (peek() === '}') {
        i++;
        return vars.get(name) ?? '';
      }
      let op = '';
      if (peek() === ':') {
        op = ':';
        i++;
      }
      const kind = peek();
      if (kind !== '-' && kind !== '+' && kind !== '?')
        throw new BuildError(`failed to process "${text}": unsupported modifier (${op}${kind ?? ''}) in substitution`);
      i++;
      const start = i;
      let depth = 0;
      while (i < text.length && (text[i] !== '}' || depth > 0)) {
        if (text[i] === '{') depth++;
        if (text[i] === '}') depth--;
        i++;
      }
      if (i >= text.length) throw new BuildError(`failed to process "${text}": syntax error: missing '}'`);
      const inner = text.slice(start, i);
      i++;
      const value = vars.get(name);
      const set = op === ':' ? value !== undefined && value !== '' : value !== undefined;
      const word = () => lex(inner, vars, escape, false).join('');
      if (kind === '-') return set ? value! : word();
      if (kind === '+') return set ? word() : '';
      if (!set) throw new BuildError(`failed to process "${text}": ${name}: ${inner === '' ? 'is not allowed to be unset' : word()}`);
      return value!;
    }
    const name = readName();
    if (name === '') return '$';
    return vars.get(name) ?? '';
  };
  const readName = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9*#?@$!-]/.exec(text.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (split && /\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === escape) {
      i++;
      if (i < text.length) word += text[i++];
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new BuildError(`failed to process "${text}": unexpected end of statement while looking for matching single-quote`);
      word += text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length)
          throw new BuildError(`failed to process "${text}": unexpected end of statement while looking for matching double-quote`);
        const d = text[i]!;
        if (d === '"') {
          i++;
          break;
        }
        if (d === escape && i + 1 < text.length && `"$${escape}`.includes(text[i + 1]!)) {
          word += text[i + 1];
          i += 2;
          continue;
        }
        if (d === '$') {
          i++;
          word += variable();
          continue;
        }
        word += d;
        i++;
      }
      continue;
    }
    if (c === '$') {
      i++;
      word += variable();
      continue;
    }
    word += c;
    i++;
  }
  if (inWord) words.push(word);
  return words;
}
