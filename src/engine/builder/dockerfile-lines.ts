/**
 * A Dockerfile's lines read as BuildKit's parser reads them (frontend/dockerfile/parser):
 * parser directives, comments, continuation lines, heredoc bodies, and each instruction's
 * words with where they stand in the source. What the words mean is dockerfile.ts's job.
 */

/** A word of an instruction: as written with continuation lines joined, and its source offsets. */
export interface Word {
  text: string;
  start: number;
  end: number;
}

export interface SourceInstruction {
  /** The keyword as written (`run`, `R\UN`). */
  keyword: string;
  /** 0-based line and column of the keyword; the last line the instruction spans. */
  line: number;
  column: number;
  endLine: number;
  /** The arguments split at blanks, as the command forms read them. */
  words: Word[];
  /** The arguments split at blanks outside quotes and escapes, as ENV, LABEL and ARG read them. */
  pairs: Word[];
}

export interface SourceDockerfile {
  escape: string;
  instructions: SourceInstruction[];
}

/** The escape character (`\` or `` ` ``) for a RegExp: escaped, as either may be. */
export const quote = (escape: string): string => `\\${escape}`;

export function readDockerfile(source: string): SourceDockerfile {
  // A byte order mark before the first line reads as a blank.
  const lines = source.replace(/^\uFEFF/, ' ').split('\n');
  const starts: number[] = [];
  for (let l = 0, at = 0; l < lines.length; at += lines[l++]!.length + 1) starts.push(at);
  // Docker: directives are `# name=value` lines at the very top; the first other line ends them.
  let escape = '';
  let l = 0;
  while (l < lines.length) {
    const m = /^[ \t]*#[ \t]*([^ \t\r=]+)(?:[ \t][^=\r]*)?=[ \t]*([^ \t\r]*)([^]*)/.exec(lines[l]!);
    if (!m) break;
    l++;
    if (!escape && m[1]!.toLowerCase() === 'escape' && (m[2] === '\\' || m[2] === '`')) escape = m[2];
    // A directive followed by more than its value ends the directives (as dockerfile-ast reads them).
    if (m[3]!.replace(/^\r$/, '')) break;
  }
  escape ||= '\\';
  const e = quote(escape);
  const continued = new RegExp(`${e}[ \\t\\r]*$`);
  const pairWord = new RegExp(`(?:[^ \\t\\r\\n"'${e}]|${e}[^]|"(?:[^"${e}]|${e}[^])*(?:"|$)|'[^']*(?:'|$))+`, 'g');
  const instructions: SourceInstruction[] = [];
  for (; l < lines.length; l++) {
    const column = lines[l]!.search(/[^ \t\r]/);
    if (column < 0 || lines[l]![column] === '#') continue;
    const line = l;
    // The instruction's text with continuations removed, and each character's source offset.
    let text = '';
    const at: number[] = [];
    const add = (offset: number): void => {
      text += source[offset];
      at.push(offset);
    };
    let joined = false;
    const take = (first: boolean): void => {
      const t = lines[l]!;
      // Docker: inside a continuation, blank lines and comment lines are skipped.
      if (joined && /^[ \t\r]*(#|$)/.test(t)) return;
      // A heredoc body's line break separates words like a blank.
      if (!first && !joined) add(starts[l]! - 1);
      const end = t.search(continued);
      // As dockerfile-ast: the keyword's first character is taken even when it is the escape.
      joined = end > (first ? column : -1);
      for (let i = first ? column : 0; i < (joined ? end : t.length); i++) add(starts[l]! + i);
    };
    const split = (re: RegExp): Word[] =>
      // Trailing blanks cut by where the last non-blank is: `[ \t\r]+$` is quadratic on a long run of blanks.
      [...text.slice(0, text.search(/[^ \t\r][ \t\r]*$/) + 1).matchAll(re)].map((m) => ({
        text: m[0],
        start: at[m.index]!,
        end: at[m.index + m[0].length - 1]! + 1,
      }));
    take(true);
    while (joined && l + 1 < lines.length) {
      l++;
      take(false);
    }
    // A word that is only an escape (`\ ` before a blank) is no word to dockerfile-ast.
    const wordsOf = (): Word[] => split(/[^ \t\r\n]+/g).filter((w, i) => !i || unescape(w.text, escape));
    let [keyword, ...words] = wordsOf();
    // Docker: RUN, COPY and ADD read a heredoc body (`<<EOF` … `EOF`) from the lines after them.
    if (/^(RUN|COPY|ADD)$/i.test(keyword!.text)) {
      const args = words.slice(flagWords(words, escape).length).map((w) => unescape(w.text, escape));
      const tabs = args.some((a) => a.startsWith('<<-'));
      for (const arg of args) {
        const name = arg.length > 2 && arg.startsWith('<<') ? heredocName(arg) : undefined;
        if (name === undefined) continue;
        // dockerfile-ast: no terminator (or an empty name) takes the rest of the file.
        let last = l + 1;
        while (last < lines.length - 1 && (!name || lines[last]!.replace(tabs ? /^\t*|\r$/g : /\r$/, '') !== name)) last++;
        while (l < last && l + 1 < lines.length) {
          l++;
          take(false);
        }
      }
      [keyword, ...words] = wordsOf();
    }
    instructions.push({ keyword: keyword!.text, line, column, endLine: l, words, pairs: split(pairWord).slice(1) });
  }
  return { escape, instructions };
}

/** The word with its escapes resolved; an escaped `$` keeps its escape for expansion to see, but not in a name. */
export function unescape(text: string, escape: string, name = false): string {
  return text.replace(new RegExp(`${quote(escape)}([^]?)`, 'g'), (m, c: string) => (c === '$' && !name ? m : c));
}

/** The leading `--flag` words, unescaped, as dockerfile-ast counts them: the first word
 * without `--` ends them; as many words as there are flags are then dropped from the front. */
export function flagWords(words: Word[], escape: string): string[] {
  const flags: string[] = [];
  for (const w of words) {
    const value = unescape(w.text, escape);
    if (!value.includes('--')) break;
    if (value.startsWith('--')) flags.push(value);
  }
  return flags;
}

function heredocName(word: string): string | undefined {
  let name = word.slice(word[2] === '-' ? 3 : 2);
  for (const q of '"\'') {
    if (name[0] !== q) continue;
    if (!name.endsWith(q)) return undefined;
    name = name.slice(1, -1);
  }
  return name[0] === '<' ? undefined : name;
}
