import type { ContainerConfig, HistoryEntry, ImageConfig } from '../images/image-config.js';
import { InvalidArchive } from './archive-errors.js';

/**
 * An image config from an archive or a registry, checked as moby's JSON decoding into
 * `image.Image` checks it: a field of the wrong JSON type refuses the image in Go's words
 * (`json: cannot unmarshal number into Go struct field Config.config.Env of type []string`),
 * a `created` that is not RFC 3339 in time.Parse's. Anything the engine reads is the type it
 * expects afterwards — a learner's hand-made config is untrusted, and a `"history": "x"` once
 * reached `history.filter` as a TypeError. The image ID stays the hash of the bytes as given;
 * what is returned is only how the engine reads them: absent fields as Docker defaults them,
 * a string Cmd, Entrypoint or Shell as the one-element list Docker's StrSlice makes of it.
 */
export function imageConfigFromJson(raw: unknown): Partial<ImageConfig> {
  const top = object(raw, () => 'json: cannot unmarshal %s into Go value of type image.Image');
  const at = (field: string, type: string) => () => `json: cannot unmarshal %s into Go struct field Image.${field} of type ${type}`;
  const out: Partial<ImageConfig> = {};
  for (const key of ['architecture', 'os', 'author', 'container'] as const) {
    const v = optional(top[key], string, at(key, 'string'));
    if (v !== undefined) out[key] = v;
  }
  const created = optional(top.created, time, () => '');
  if (created !== undefined) out.created = created;
  if (top.config !== undefined && top.config !== null) out.config = containerConfig(top.config);
  if (top.rootfs !== undefined && top.rootfs !== null) {
    const rootfs = object(top.rootfs, at('rootfs', 'image.RootFS'));
    const type = optional(rootfs.type, string, () => 'json: cannot unmarshal %s into Go struct field RootFS.rootfs.type of type string') ?? '';
    const diffIds = optional(
      rootfs.diff_ids,
      (v, e) => list(v, string, e),
      () => 'json: cannot unmarshal %s into Go struct field RootFS.rootfs.diff_ids of type layer.DiffID',
    );
    out.rootfs = { type: type as 'layers', diff_ids: (diffIds ?? []) as ImageConfig['rootfs']['diff_ids'] };
  }
  const history = optional(top.history, (v, e) => list(v, historyEntry, e), at('history', '[]image.History'));
  if (history !== undefined) out.history = history;
  return out;
}

function containerConfig(raw: unknown): ContainerConfig {
  const c = object(raw, () => 'json: cannot unmarshal %s into Go struct field Image.config of type container.Config');
  const at = (field: string, type: string) => () => `json: cannot unmarshal %s into Go struct field Config.config.${field} of type ${type}`;
  const out: ContainerConfig = {};
  for (const key of ['User', 'WorkingDir', 'StopSignal'] as const) {
    const v = optional(c[key], string, at(key, 'string'));
    if (v !== undefined) out[key] = v;
  }
  const env = optional(c.Env, (v, e) => list(v, string, e), at('Env', '[]string'));
  if (env !== undefined) out.Env = env;
  for (const key of ['Cmd', 'Entrypoint'] as const) {
    if (c[key] === null) out[key] = null;
    else {
      const v = optional(c[key], strSlice, at(key, 'strslice.StrSlice'));
      if (v !== undefined) out[key] = v;
    }
  }
  const shell = optional(c.Shell, strSlice, at('Shell', 'strslice.StrSlice'));
  if (shell !== undefined) out.Shell = shell;
  for (const key of ['ExposedPorts', 'Volumes'] as const) {
    const set = optional(c[key], (v, e) => record(v, (x, ex) => object(x, ex), e), at(key, 'struct {}'));
    if (set !== undefined) out[key] = set;
  }
  const labels = optional(c.Labels, (v, e) => record(v, string, e), at('Labels', 'string'));
  if (labels !== undefined) out.Labels = labels;
  return out;
}

function historyEntry(raw: unknown): HistoryEntry {
  const h = object(raw, () => 'json: cannot unmarshal %s into Go struct field Image.history of type image.History');
  const at = (field: string, type: string) => () => `json: cannot unmarshal %s into Go struct field History.history.${field} of type ${type}`;
  const out: HistoryEntry = {};
  const created = optional(h.created, time, () => '');
  if (created !== undefined) out.created = created;
  for (const key of ['created_by', 'author', 'comment'] as const) {
    const v = optional(h[key], string, at(key, 'string'));
    if (v !== undefined) out[key] = v;
  }
  const empty = optional(h.empty_layer, boolean, at('empty_layer', 'bool'));
  if (empty !== undefined) out.empty_layer = empty;
  return out;
}

/** How a failed check is worded: `%s` stands for the JSON type met (Go's `UnmarshalTypeError.Value`). */
type Err = () => string;
type Check<T> = (v: unknown, err: Err) => T;

function refuse(v: unknown, err: Err): never {
  throw new InvalidArchive(err().replace('%s', jsonType(v)));
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** Go leaves a field alone when the JSON has `null` for it, as when it is absent. */
function optional<T>(v: unknown, check: Check<T>, err: Err): T | undefined {
  return v === undefined || v === null ? undefined : check(v, err);
}

const string: Check<string> = (v, err) => (typeof v === 'string' ? v : refuse(v, err));
const boolean: Check<boolean> = (v, err) => (typeof v === 'boolean' ? v : refuse(v, err));

function object(v: unknown, err: Err): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : refuse(v, err);
}

function list<T>(v: unknown, item: Check<T>, err: Err): T[] {
  return Array.isArray(v) ? v.map((x) => item(x, err)) : refuse(v, err);
}

function record<T>(v: unknown, value: Check<T>, err: Err): Record<string, T> {
  const o = object(v, err);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, value(x, err)]));
}

/** docker/strslice: a JSON string is a one-element list, as `"Cmd": "ls"` runs `ls`. */
const strSlice: Check<string[]> = (v, err) => (typeof v === 'string' ? [v] : list(v, string, err));

/** A time.Time field: a JSON string in RFC 3339, else refused in Go's time package's words. */
const time: Check<string> = (v) => {
  if (typeof v !== 'string') throw new InvalidArchive('Time.UnmarshalJSON: input is not a JSON string');
  const failed = rfc3339Failure(v);
  if (failed?.element === '') throw new InvalidArchive(`parsing time ${JSON.stringify(v)}: extra text: ${JSON.stringify(failed.rest)}`);
  if (failed)
    throw new InvalidArchive(
      `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(failed.rest)} as ${JSON.stringify(failed.element)}`,
    );
  return v;
};

/** Where time.Parse(time.RFC3339, v) stops: the layout's elements in turn, each matched at the
 * front of what is left; element '' for text left over after the zone. */
function rfc3339Failure(v: string): { rest: string; element: string } | undefined {
  const elements: [string, RegExp][] = [
    ['2006', /^\d{4}/],
    ['-', /^-/],
    ['01', /^\d{2}/],
    ['-', /^-/],
    ['02', /^\d{2}/],
    ['T', /^T/],
    ['15', /^\d{2}/],
    [':', /^:/],
    ['04', /^\d{2}/],
    [':', /^:/],
    // time.Parse takes a fraction after the seconds though the layout has none.
    ['05', /^\d{2}(?:[.,]\d+)?/],
    ['Z07:00', /^(?:Z|[+-]\d{2}:\d{2})/],
  ];
  let rest = v;
  for (const [element, re] of elements) {
    const m = re.exec(rest);
    if (!m) return { rest, element };
    rest = rest.slice(m[0].length);
  }
  return rest ? { rest, element: '' } : undefined;
}
