/**
 * Makes the oracle's recorded output and the simulator's output comparable without hiding
 * what a learner would see differ. Only what cannot match between two engines is replaced:
 *
 * - IDs (64 or 12 hex digits) become `<id1>`, `<id2>`… by first appearance, and a 12-digit
 *   ID that is the prefix of a known 64-digit one becomes `<idN:short>` of that one — so an
 *   ID that appears twice must be the same ID both times, and short vs full must match.
 * - Names Docker generates (`ps` NAMES cell like `eager_turing`) become `<name1>`… likewise.
 * - Time phrases (go-units HumanDuration: `2 seconds`, `About a minute`, `Less than a
 *   second`, as in `Up 3 seconds` or `5 minutes ago`) become `<duration>`; dates (RFC 3339,
 *   Go's `2006-01-02 15:04:05 -0700 MST`, `ls -l`'s `Nov 28 13:11`) become `<date>`.
 * - Sizes of 1 MB or more become `<size>`: only the base image is that big, and it differs
 *   between the oracle's busybox and ours; the kilobytes a case adds stay exact.
 * - Column padding: runs of 2+ spaces inside a line become exactly two spaces, and trailing
 *   blanks go, because column widths follow the replaced text. One space stays one space.
 * - A carriage return keeps only what a terminal would show: the text after the last `\r`.
 *
 * Column order, headers, error texts, exit codes and file lists stay exact.
 *
 * Per-case rules (`@normalise <rule>` in the case header):
 * - `build-timings`: BuildKit's step times (`#5 DONE 0.3s`, `#5 0.215 hi`) and a status line's
 *   time (`#4 resolve … 0.0s done`) become `<t>`.
 * - `host-paths`: absolute paths of two or more parts (overlay2's dirs in `GraphDriver.Data`,
 *   which differ per machine and per backend) become `<path>`; an empty string stays empty.
 * - `manifest-size`: the `size: N` of a push's `<tag>: digest: sha256:… size: N` becomes `<n>`:
 *   the manifest's length follows the digits of its layers' compressed sizes (Go's gzip on the
 *   oracle, the engine's own here) and of its config's (20.10's commit writes `container_config`); and,
 *   for the same reasons, the bytes of the blobs BuildKit's FROM pulled (`#4 sha256:… 735B / 735B done`)
 *   become `<n> / <n>` where both numbers are one.
 * - `transfer-sizes`: the bytes of BuildKit's `transferring dockerfile: 74B done` become `<n>`: they count
 *   fsutil's stream (the file behind its stat header), which one Dockerfile sent twice gave as 74B and then 31B.
 */

/** The per-case rules a case header may enable. */
export const CASE_RULES = ['build-timings', 'host-paths', 'manifest-size', 'transfer-sizes'] as const;
export type CaseRule = (typeof CASE_RULES)[number];

export interface Normaliser {
  /** Normalises one output stream; IDs and names keep their placeholders across calls. */
  (text: string): string;
}

const HEX_ID = /(?<![0-9a-zA-Z])([0-9a-f]{64}|[0-9a-f]{12})(?![0-9a-zA-Z])/g;
// go-units HumanDuration, which `ps`, `images` and `history` use.
const DURATION = /\b(?:Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour|day|week|month|year)s?)\b/g;
const DATES = [
  /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g,
  /\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4} [A-Z]{3,5}\b/g,
  /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d (?:\d\d:\d\d| \d{4})\b/g,
];
// go-units HumanSize (decimal units), as Docker prints sizes.
const BIG_SIZE = /\b\d+(?:\.\d+)?(?:MB|GB|TB)\b/g;
const GENERATED_NAME = /^(.*\S {2,})([a-z]+_[a-z]+\d?)$/;
const HOST_PATH = /(?<![^\s":=])\/[^\s":/]+(?:\/[^\s":/]+)+/g;
const MANIFEST_SIZE = /^(\S+: digest: sha256:<id\d+> size: )\d+$/;
const TRANSFER_SIZE = /^(#\d+ transferring dockerfile: )\d+(?:\.\d+)?[kMG]?B(?= )/;
const PULLED_BLOB_SIZE = /^(#\d+ sha256:<id\d+> )(\d+(?:\.\d+)?[kMG]?B) \/ \2(?= )/;
const BUILD_TIMINGS: [RegExp, string][] = [
  [/^(#\d+ (?:DONE|ERROR) )\d+\.\d+s$/, '$1<t>'],
  [/^(#\d+ )\d+\.\d+ /, '$1<t> '],
  [/^(#\d+ \S.*) \d+\.\ds done$/, '$1 <t> done'],
];

export function createNormaliser(rules: readonly string[] = []): Normaliser {
  for (const rule of rules) {
    if (!(CASE_RULES as readonly string[]).includes(rule)) throw new Error(`unknown @normalise rule "${rule}"; known: ${CASE_RULES.join(', ')}`);
  }
  const ids = new Map<string, string>(); // full or short ID → placeholder number
  const names = new Map<string, string>();
  let nextId = 1;

  const idPlaceholder = (hex: string): string => {
    if (hex.length === 64) {
      let n = ids.get(hex) ?? ids.get(hex.slice(0, 12));
      if (n === undefined) n = String(nextId++);
      ids.set(hex, n);
      ids.set(hex.slice(0, 12), n);
      return `<id${n}>`;
    }
    let n = ids.get(hex);
    if (n === undefined) {
      n = String(nextId++);
      ids.set(hex, n);
    }
    return `<id${n}:short>`;
  };

  return (text: string): string => {
    const lines = text.split('\n').map((raw) => {
      let line = raw.includes('\r') ? lastCarriageSegment(raw) : raw;
      // Before IDs: the hex in a path names a dir, not an object the case shows.
      if (rules.includes('host-paths')) line = line.replace(HOST_PATH, '<path>');
      line = line.replace(HEX_ID, (hex: string) => idPlaceholder(hex));
      for (const date of DATES) line = line.replace(date, '<date>');
      line = line.replace(DURATION, '<duration>');
      line = line.replace(BIG_SIZE, '<size>');
      if (rules.includes('manifest-size')) line = line.replace(MANIFEST_SIZE, '$1<n>').replace(PULLED_BLOB_SIZE, '$1<n> / <n>');
      if (rules.includes('transfer-sizes')) line = line.replace(TRANSFER_SIZE, '$1<n>');
      if (rules.includes('build-timings')) {
        for (const [timing, replacement] of BUILD_TIMINGS) line = line.replace(timing, replacement);
      }
      const named = GENERATED_NAME.exec(line);
      if (named) {
        const name = named[2]!;
        if (!names.has(name)) names.set(name, `<name${names.size + 1}>`);
      }
      for (const [name, placeholder] of names) {
        line = line.replace(new RegExp(`(?<![\\w-])${name}(?![\\w-])`, 'g'), placeholder);
      }
      return collapsePadding(line);
    });
    return lines.join('\n');
  };
}

function lastCarriageSegment(line: string): string {
  const segments = line.split('\r');
  // `text\r` at the end of a line is a line ending, not an overwrite.
  while (segments.length > 1 && segments.at(-1) === '') segments.pop();
  return segments.at(-1)!;
}

function collapsePadding(line: string): string {
  const indent = /^ */.exec(line)![0];
  return (
    indent +
    line
      .slice(indent.length)
      .replace(/ {2,}/g, '  ')
      .replace(/[ \t]+$/, '')
  );
}
