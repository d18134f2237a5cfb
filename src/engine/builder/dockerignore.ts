/**
 * `.dockerignore` as Docker's CLI reads it (moby/patternmatcher): one pattern a line,
 * `#` comments, patterns cleaned and taken relative to the context root, Go
 * `filepath.Match` syntax plus `**` for any number of directories, and `!pattern`
 * re-including what an earlier pattern excluded; the last matching pattern wins. A
 * pattern that matches a directory excludes everything below it.
 */
export interface IgnorePattern {
  pattern: string;
  exclusion: boolean;
  re: RegExp;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const rawLine of text.split('\n')) {
    let line = rawLine.replace(/\r$/, '');
    if (line.startsWith('#')) continue;
    line = line.trim();
    if (line === '') continue;
    let exclusion = false;
    if (line.startsWith('!')) {
      exclusion = true;
      line = line.slice(1).trim();
    }
    const pattern = clean(line);
    if (pattern === '') continue;
    out.push({ pattern, exclusion, re: toRegExp(pattern) });
  }
  return out;
}

/** Whether a context path (relative, `/`-separated) is excluded. A path is also
 * excluded when one of its parent directories matches. */
export function isIgnored(path: string, patterns: readonly IgnorePattern[]): boolean {
  let ignored = false;
  const parents = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  for (const p of patterns) {
    if (parents.some((candidate) => p.re.test(candidate))) ignored = !p.exclusion;
  }
  return ignored;
}

function clean(pattern: string): string {
  const parts: string[] = [];
  for (const part of pattern.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function toRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // `**/` matches zero or more directories; a trailing `**` matches everything.
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]!);
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
}
