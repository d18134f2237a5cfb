import { humanSize } from '../../format/size.js';
import type { BuildError } from '../build-errors.js';
import type { BuildReporter, BuildStart, StepInfo } from '../build-reporter.js';
import type { PullStatus } from '../../registry/buildkit-source.js';
import { buildkitBytes } from './buildkit-bytes.js';

export interface ProgressSink {
  out(text: string): void;
  err(text: string): void;
  now(): number;
}

/**
 * BuildKit's `--progress=plain` (buildx progressui's plain printer), as `docker build`
 * writes it to stderr: numbered vertices (`#5 [2/4] RUN …`), their log lines with the
 * seconds since the vertex started (`#5 0.215 hi`), `CACHED` or `DONE 0.3s`, a blank
 * line between vertices; on failure the vertex's last log lines and the Dockerfile
 * excerpt, then `ERROR: failed to solve: …`.
 */
export class BuildkitProgress implements BuildReporter {
  private n = 0;
  private readonly ids = new Map<StepInfo, { n: number; start: number; logs: string[]; partial: string }>();
  private contextPending = false;
  private contextSize = 0;
  private metadataFailure: BuildStart['metadataFailure'];

  constructor(
    private readonly sink: ProgressSink,
    private readonly dockerfileName = 'Dockerfile',
  ) {}

  private vertex(name: string, lines: string[] = [], seconds = 0): void {
    const n = ++this.n;
    let text = `#${n} ${name}\n`;
    for (const l of lines) text += `#${n} ${l}\n`;
    text += `#${n} DONE ${seconds.toFixed(1)}s\n\n`;
    this.sink.err(text);
  }

  begin(start: BuildStart): void {
    this.sink.err(`#0 building with "default" instance using docker driver\n\n`);
    this.vertex(`[internal] load build definition from ${this.dockerfileName}`, [
      `transferring dockerfile: ${humanSize(start.dockerfileBytes)} done`,
    ]);
    const failure = start.metadataFailure;
    for (const image of start.images) {
      if (image !== failure?.image) {
        this.vertex(`[internal] load metadata for ${image}`);
        continue;
      }
      // BuildKit stops at the metadata it cannot load: no .dockerignore, no step.
      const n = ++this.n;
      this.sink.err(`#${n} [internal] load metadata for ${image}\n#${n} ERROR: ${failure.reason}\n`);
      this.metadataFailure = failure;
      return;
    }
    this.vertex('[internal] load .dockerignore', ['transferring context: 2B done']);
    this.contextPending = start.usesContext;
    this.contextSize = start.contextBytes;
  }

  stepStarted(s: StepInfo): void {
    if (s.vertex === undefined) return;
    const n = ++this.n;
    this.ids.set(s, { n, start: this.sink.now(), logs: [], partial: '' });
    const name = s.instruction.kind === 'FROM' ? `FROM ${s.fromRef ?? s.instruction.image}` : s.instruction.text;
    this.sink.err(`#${n} ${s.vertex} ${name}\n`);
  }

  containerStarted(): void {}

  output(s: StepInfo, text: string): void {
    const v = this.ids.get(s);
    if (!v) return;
    const seconds = ((this.sink.now() - v.start) / 1000).toFixed(3);
    const all = v.partial + text;
    const lines = all.split('\n');
    v.partial = lines.pop()!;
    for (const line of lines) {
      v.logs.push(`${seconds} ${line}`);
      this.sink.err(`#${v.n} ${seconds} ${line}\n`);
    }
  }

  /** buildx's plain printer: a status's ID, its bytes (`735B / 735B`), its time when it was timed, `done`. */
  status(s: StepInfo, line: PullStatus): void {
    const v = this.ids.get(s);
    if (!v) return;
    const seconds = ` ${((this.sink.now() - v.start) / 1000).toFixed(1)}s`;
    const bytes = line.size === undefined ? '' : ` ${buildkitBytes(line.size)} / ${buildkitBytes(line.size)}`;
    const text =
      line.kind === 'resolve'
        ? `resolve ${line.text}${seconds}`
        : line.kind === 'extracting'
          ? `extracting ${line.text}${seconds}`
          : `${line.text}${bytes}`;
    this.sink.err(`#${v.n} ${text}${line.kind === 'download' ? seconds : ''} done\n`);
  }

  private flush(s: StepInfo): void {
    const v = this.ids.get(s);
    if (v && v.partial !== '') this.output(s, '\n');
  }

  stepCached(s: StepInfo): void {
    const v = this.ids.get(s);
    if (!v) return;
    this.sink.err(`#${v.n} CACHED\n\n`);
    this.afterFrom(s);
  }

  stepDone(s: StepInfo, result: { seconds: number }): void {
    const v = this.ids.get(s);
    if (!v) return;
    this.flush(s);
    this.sink.err(`#${v.n} DONE ${result.seconds.toFixed(1)}s\n\n`);
    this.afterFrom(s);
  }

  /** BuildKit starts transferring the context alongside the base image. */
  private afterFrom(s: StepInfo): void {
    if (s.instruction.kind !== 'FROM' || !this.contextPending) return;
    this.contextPending = false;
    this.vertex('[internal] load build context', [`transferring context: ${humanSize(this.contextSize)} done`]);
  }

  stepFailed(s: StepInfo, error: BuildError): void {
    const v = this.ids.get(s);
    if (!v) return;
    this.flush(s);
    this.sink.err(`#${v.n} ERROR: ${error.message}\n`);
  }

  finished(result: { imageId: string; tags: string[]; layersExported: boolean; seconds: number }): void {
    if (this.contextPending) this.afterFrom({ instruction: { kind: 'FROM' } } as StepInfo);
    const lines = [
      result.layersExported ? `exporting layers ${result.seconds.toFixed(1)}s done` : 'exporting layers done',
      `writing image ${result.imageId} done`,
    ];
    for (const tag of result.tags) lines.push(`naming to ${fullTag(tag)} done`);
    this.vertex('exporting to image', lines, result.layersExported ? result.seconds : 0);
  }

  failed(error: BuildError, step: StepInfo | undefined, lines: string[]): void {
    let text = '';
    const metadata = this.metadataFailure;
    if (metadata) {
      text += `------\n > [internal] load metadata for ${metadata.image}:\n------\n`;
      text += sourceExcerpt(this.dockerfileName, lines, metadata.line, metadata.endLine);
      this.sink.err(`${text}ERROR: failed to solve: ${error.message}\n`);
      return;
    }
    const v = step ? this.ids.get(step) : undefined;
    if (step && v) {
      text += `------\n > ${step.vertex} ${step.instruction.text}:\n`;
      for (const l of v.logs.slice(-6)) text += `${l}\n`;
      text += '------\n';
    }
    if (step && lines.length > 0) text += sourceExcerpt(this.dockerfileName, lines, step.instruction.line, step.instruction.endLine);
    text += `ERROR: failed to solve: ${error.message}\n`;
    this.sink.err(text);
  }
}

function fullTag(tag: string): string {
  const name = tag.slice(0, tag.lastIndexOf(':'));
  const t = tag.slice(tag.lastIndexOf(':') + 1);
  const first = name.split('/')[0]!;
  if (name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return tag;
  return `docker.io/${name.includes('/') ? name : `library/${name}`}:${t}`;
}

/** buildx's source excerpt: the instruction's lines marked `>>>`, padded with the lines
 * around it (four for a one-line instruction, two otherwise). */
export function sourceExcerpt(file: string, lines: string[], start: number, end: number): string {
  if (start < 1 || start > lines.length) return '';
  let from = start;
  let to = Math.min(end, lines.length);
  const pad = to === from ? 4 : 2;
  for (let p = 0; p < pad;) {
    if (from > 1) {
      from--;
      p++;
    }
    if (to !== lines.length) {
      to++;
      p++;
    }
    p++;
  }
  let text = `${file}:${start}\n--------------------\n`;
  for (let i = from; i <= to; i++) {
    const mark = i >= start && i <= end ? '>>>' : '   ';
    text += ` ${String(i).padStart(3)} | ${mark} ${lines[i - 1]}\n`;
  }
  return `${text}--------------------\n`;
}
