import { NulInCommandLine, UnterminatedQuote } from './command-line-errors.js';

export { UnterminatedQuote };

/**
 * Splits a command line into words as a POSIX shell would for a simple command:
 * single quotes are literal, double quotes allow `\"`, `\\`, `\$`, a backslash
 * outside quotes escapes the next character. No expansion: Layerlab runs `docker …`
 * lines, not shell scripts.
 */
export interface TokenizeOptions {
  /** Sees each character a shell could give a meaning to (outside single quotes, not escaped): a reader that must refuse `$`, `|`… looks here. */
  onShellCharacter?(ch: string, quoting: 'bare' | 'double'): void;
}

export function tokenize(line: string, opts: TokenizeOptions = {}): string[] {
  // execve(2) takes NUL-terminated strings: a NUL could never reach docker's argv.
  if (line.includes('\0')) throw new NulInCommandLine('the command line contains a NUL byte, which no program can take as an argument');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new UnterminatedQuote("unexpected EOF while looking for matching `''");
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`\n'.includes(line[j + 1]!)) j++;
        else opts.onShellCharacter?.(line[j]!, 'double');
        word += line[j];
      }
      if (j >= line.length) throw new UnterminatedQuote('unexpected EOF while looking for matching `"\'');
      i = j;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      opts.onShellCharacter?.(ch, 'bare');
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
