import { humanSize } from '../../format/size.js';
import { shortId } from '../../digest.js';
import { RunStepFailed, type BuildError } from '../build-errors.js';
import type { BuildReporter, BuildStart, StepInfo } from '../build-reporter.js';
import type { ProgressSink } from './buildkit-progress.js';

/** Docker 28's CLI, before a build with DOCKER_BUILDKIT=0. */
export const LEGACY_BUILDER_NOTICE = `DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
            environment-variable.

`;

/**
 * The classic builder's output (moby builder/dockerfile): `Step n/N : <instruction>`,
 * ` ---> Running in <id>` for a step that runs a container, ` ---> Using cache`, the
 * resulting image's short ID, and `Successfully built`/`Successfully tagged` at the end.
 */
export class ClassicProgress implements BuildReporter {
  private atLineStart = true;

  constructor(private readonly sink: ProgressSink) {}

  begin(start: BuildStart): void {
    this.sink.err(LEGACY_BUILDER_NOTICE);
    this.sink.out(`Sending build context to Docker daemon  ${humanSize(start.contextTarSize)}\n\n`);
  }

  stepStarted(s: StepInfo): void {
    this.sink.out(`Step ${s.step}/${s.total} : ${s.instruction.text}\n`);
  }

  containerStarted(_s: StepInfo, containerId: string): void {
    this.sink.out(` ---> Running in ${shortId(containerId)}\n`);
  }

  /** The classic builder pulls through `docker pull`'s lines (`output`), not BuildKit's statuses. */
  status(): void {}

  output(_s: StepInfo, text: string): void {
    if (text === '') return;
    this.sink.out(text);
    this.atLineStart = text.endsWith('\n');
  }

  private endLine(): void {
    if (!this.atLineStart) this.sink.out('\n');
    this.atLineStart = true;
  }

  stepCached(_s: StepInfo, imageId: string | undefined): void {
    this.sink.out(` ---> Using cache\n ---> ${shortId(imageId ?? '')}\n`);
  }

  stepDone(s: StepInfo, result: { imageId?: string; containerId?: string }): void {
    this.endLine();
    // Docker 23+: " ---> Removed intermediate container" (20.10 said "Removing").
    if (result.containerId) this.sink.out(` ---> Removed intermediate container ${shortId(result.containerId)}\n`);
    if (result.imageId) this.sink.out(` ---> ${shortId(result.imageId)}\n`);
    void s;
  }

  stepFailed(): void {
    this.endLine();
  }

  finished(result: { imageId: string; tags: string[] }): void {
    this.sink.out(`Successfully built ${shortId(result.imageId)}\n`);
    for (const tag of result.tags) this.sink.out(`Successfully tagged ${tag}\n`);
  }

  failed(error: BuildError): void {
    if (error instanceof RunStepFailed) {
      this.sink.err(`The command '${error.command}' returned a non-zero code: ${error.exitCode}\n`);
      return;
    }
    this.sink.err(`${error.message}\n`);
  }
}
