import type { BuildError } from './build-errors.js';
import type { Instruction } from './instruction.js';
import type { PullStatus } from '../registry/buildkit-source.js';

/** One step as the progress output shows it. */
export interface StepInfo {
  /** Classic numbering: every instruction of the stages built, FROM included. */
  step: number;
  total: number;
  instruction: Instruction;
  /** BuildKit's vertex label (`[2/4]`, `[builder 2/3]`), or undefined for instructions
   * that make no vertex (ENV, CMD, …), which BuildKit does not print. */
  vertex?: string;
  /** For FROM: the image as BuildKit names it (`docker.io/library/busybox:latest`), or
   * undefined for `scratch` and stages. */
  fromRef?: string;
  /** For FROM: the base image's ID (classic prints it). */
  baseImageId?: string;
}

export interface BuildStart {
  dockerfileBytes: number;
  contextTarSize: number;
  contextBytes: number;
  /** External images the build reads metadata of (BuildKit's "load metadata for"). */
  images: string[];
  usesContext: boolean;
  /** BuildKit: the FROM image whose metadata load failed (the build fails after it), with the FROM's lines. */
  metadataFailure?: { image: string; reason: string; line: number; endLine: number };
}

/** What a progress format is told; each format decides what to print. */
export interface BuildReporter {
  begin(start: BuildStart): void;
  stepStarted(s: StepInfo): void;
  /** A container started for the step (classic prints "Running in"). */
  containerStarted(s: StepInfo, containerId: string): void;
  output(s: StepInfo, text: string): void;
  /** BuildKit: a status line of a FROM vertex that pulls its image (`resolve …`, `extracting …`, a blob's bytes). */
  status(s: StepInfo, line: PullStatus): void;
  stepCached(s: StepInfo, imageId: string | undefined): void;
  /** `imageId` is the classic builder's intermediate image. */
  stepDone(s: StepInfo, result: { imageId?: string; containerId?: string; seconds: number }): void;
  stepFailed(s: StepInfo, error: BuildError): void;
  /** BuildKit's "exporting to image" vertex, or classic's "Successfully built". */
  finished(result: { imageId: string; tags: string[]; layersExported: boolean; seconds: number }): void;
  /** The whole build failed (after stepFailed when a step was running). */
  failed(error: BuildError, failedStep: StepInfo | undefined, lines: string[]): void;
}
