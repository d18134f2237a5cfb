import type { Drivers } from '../engine.js';
import { sha256, type Digest } from '../digest.js';
import { EngineError, RegistryUnreachable } from '../errors.js';
import type { EngineEvent } from '../events.js';
import type { HistoryEntry, ImageConfig } from '../images/image-config.js';
import type { ImageRecord, ImageStore } from '../images/image-store.js';
import { formatReference, fullRef, parseReference } from '../images/reference.js';
import { DEFAULT_RESOURCE_POLICY, NO_REQUESTED_RESOURCES, type ResourcePolicy } from '../containers/resource-limits.js';
import { startOnSnapshot } from '../containers/snapshot-process.js';
import type { Change } from '../layer/change.js';
import { layerDigest } from '../layer/tar.js';
import { BaseImageUnresolved, BuildError, RunStepFailed, TargetNotFound } from './build-errors.js';
import { buildCacheFor, stepKey, type CachedStep } from './build-cache.js';
import { loadContext, readDockerfile, type BuildContext } from './build-context.js';
import { parseDockerfile } from './dockerfile.js';
import type { BuildReporter, StepInfo } from './build-reporter.js';
import { createdBy, type BuilderMode } from './created-by.js';
import type { Instruction, ParsedDockerfile, Stage } from './instruction.js';
import { rootfsView, type RootfsView } from './rootfs-view.js';
import { processWord, processWords, type Vars } from './shell-lex.js';
import type { BuildsInProgress } from './builds-in-progress.js';
import { pulledBasesFor } from './pulled-bases.js';
import type { BuildkitImageSource, PulledBase, ResolvedBase } from '../registry/buildkit-source.js';
import type { StageState } from './stage-state.js';
import { mkdirChanges, planStep, type LayerRecipe, type StepContext, type StepInstruction, type StepProcess } from './steps/index.js';

export interface BuildRequest {
  /** The context directory, relative to the workspace root (`.`). */
  context: string;
  /** `-f`: the Dockerfile's workspace path (default `<context>/Dockerfile`). */
  dockerfile?: string;
  tags: string[];
  buildArgs: Record<string, string>;
  target?: string;
  noCache: boolean;
  mode: BuilderMode;
  /** SOURCE_DATE_EPOCH: the mtime of every layer tar entry (default 0). */
  sourceDateEpoch?: number;
  signal?: AbortSignal;
}

export interface BuilderDeps {
  drivers: Pick<Drivers, 'snapshotter' | 'runtime' | 'workspace' | 'clock' | 'host'>;
  images: ImageStore;
  emit(event: EngineEvent): void;
  /** Where the build shows its image after each step, before the image exists. */
  builds: BuildsInProgress;
  random?: () => number;
  /** What an `ADD` of a compressed archive may unpack to (`EngineLimits.unpackBytes`). */
  unpackBytes: number;
  /** What each RUN step's container may use: the same defaults as a container's (default: a lesson's). */
  resources?: ResourcePolicy;
  /**
   * How the classic builder gets a base image that is not here: the pull of `ref` printing
   * its progress through `line`, or undefined when no registry this backend reaches has the
   * name (the build then fails as before). Without it nothing is pulled.
   */
  pull?: (ref: string) => ((line: (text: string) => void) => Promise<ImageRecord>) | undefined;
  /**
   * BuildKit's way to a base image that is not here: the registry's image source for `ref`, or
   * the error BuildKit's metadata load fails with (a host this backend cannot reach, no
   * registry). Without it, such a FROM fails as a registry that cannot be reached.
   */
  source?: (ref: string) => BuildkitImageSource | EngineError;
}

export interface BuildResult {
  image: ImageRecord;
  /** Steps that hit the cache / ran. */
  cached: number;
  ran: number;
}

const DEFAULT_SHELL = ['/bin/sh', '-c'];
const VERTEX_KINDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/**
 * Docker's builder, on the engine's drivers: parses the Dockerfile, runs each stage's
 * instructions — RUN in a container of the backend's runtime on a snapshot of the
 * stage so far, whose changes become the layer; COPY/ADD as layer entries computed
 * here — and commits the image. Only RUN, COPY, ADD and WORKDIR can make layers, and
 * only when they change something (BuildKit drops empty layers); the rest are
 * `empty_layer` history entries.
 */
export async function build(deps: BuilderDeps, req: BuildRequest, reporter: BuildReporter): Promise<BuildResult> {
  const { drivers } = deps;
  const buildId = sha256(`${drivers.clock.now()}-${(deps.random ?? Math.random)()}`).slice(7, 19);
  const started = drivers.clock.now();
  const dockerfilePath = req.dockerfile ?? `${req.context === '.' ? '' : `${req.context.replace(/\/+$/, '')}/`}Dockerfile`;
  let parsed: ParsedDockerfile | undefined;
  let current: StepInfo | undefined;
  try {
    const source = await readDockerfile(drivers.workspace, dockerfilePath);
    parsed = parseDockerfile(source);
    const context = await loadContext(drivers.workspace, req.context, dockerfilePath);
    const run = new BuildRun(deps, req, reporter, parsed, context, buildId, started);
    const result = await run.execute((s) => (current = s));
    const seconds = (drivers.clock.now() - started) / 1000;
    reporter.finished({ imageId: result.image.id, tags: req.tags.map(familiar), layersExported: result.ran > 0, seconds });
    deps.builds.delete(buildId);
    deps.emit({ type: 'build.done', buildId, imageId: result.image.id });
    return result;
  } catch (err) {
    // A failed build's image never exists: its stack leaves the snapshot (the layers its steps made stay, as build cache).
    deps.builds.delete(buildId);
    deps.emit({ type: 'build.done', buildId, imageId: null });
    const error = err instanceof BuildError ? err : err instanceof EngineError ? new BuildError(err.message, { ...err.details }) : undefined;
    if (!error) throw err;
    if (current) {
      reporter.stepFailed(current, error);
      deps.emit({
        type: 'build.step.failed',
        buildId,
        step: current.step,
        exitCode: error instanceof RunStepFailed ? error.exitCode : 1,
        message: error.message,
      });
    }
    reporter.failed(error, current, parsed?.lines ?? []);
    throw error;
  }
}

function familiar(tag: string): string {
  return formatReference(parseReference(tag));
}

class BuildRun {
  private readonly cache;
  private readonly memo = new Map<string, Change[]>();
  private readonly stageResults = new Map<number, StageState>();
  private missed: boolean;
  private cached = 0;
  private ran = 0;
  private step = 0;
  private readonly total: number;
  private readonly order: Stage[];
  private readonly metaArgs = new Map<string, string | undefined>();
  /** BuildKit: FROM images not in the store, resolved by the metadata load, by the name the FROM gave. */
  private readonly remote = new Map<string, { source: BuildkitImageSource; resolved: ResolvedBase; pulled?: PulledBase }>();
  /** The current stage's FROM, for `builds`. */
  private base: { imageId: Digest | null; layers: number } = { imageId: null, layers: 0 };

  constructor(
    private readonly deps: BuilderDeps,
    private readonly req: BuildRequest,
    private readonly reporter: BuildReporter,
    private readonly df: ParsedDockerfile,
    private readonly context: BuildContext,
    private readonly buildId: string,
    private readonly started: number,
  ) {
    this.cache = buildCacheFor(deps.images);
    this.missed = req.noCache;
    for (const a of df.metaArgs) {
      for (const arg of a.args) {
        const fallback = arg.rawDefault === undefined ? undefined : processWord(arg.rawDefault, this.defined(this.metaArgs), { escape: df.escape });
        this.metaArgs.set(arg.name, req.buildArgs[arg.name] ?? fallback);
      }
    }
    const targetIndex = this.targetIndex();
    this.order = req.mode === 'classic' ? df.stages.slice(0, targetIndex + 1) : this.needed(targetIndex);
    this.total = this.order.reduce((n, s) => n + 1 + s.steps.length, 0);
  }

  private targetIndex(): number {
    if (this.req.target === undefined) return this.df.stages.length - 1;
    const i = this.df.stages.findIndex((s) => s.name === this.req.target!.toLowerCase());
    if (i < 0) throw new TargetNotFound(`target stage "${this.req.target}" could not be found`, { target: this.req.target });
    return i;
  }

  /** BuildKit builds only the stages the target needs (FROM <stage>, COPY --from). */
  private needed(target: number): Stage[] {
    const need = new Set<number>();
    const visit = (i: number) => {
      if (need.has(i)) return;
      need.add(i);
      const s = this.df.stages[i]!;
      const from = this.stageRef(processWord(s.from.image, this.defined(this.metaArgs), { escape: this.df.escape }), i);
      if (from !== undefined) visit(from);
      for (const st of s.steps) {
        if ((st.kind === 'COPY' || st.kind === 'ADD') && st.kind === 'COPY' && st.from !== undefined) {
          const ref = this.stageRef(st.from, i);
          if (ref !== undefined) visit(ref);
        }
      }
    };
    visit(target);
    return this.df.stages.filter((s) => need.has(s.index));
  }

  /** A stage named (or numbered) `ref`, defined before stage `before`. */
  private stageRef(ref: string, before: number): number | undefined {
    const lower = ref.toLowerCase();
    const byName = this.df.stages.findIndex((s) => s.name === lower && s.index < before);
    if (byName >= 0) return byName;
    if (/^\d+$/.test(ref) && Number(ref) < before) return Number(ref);
    return undefined;
  }

  private defined(m: ReadonlyMap<string, string | undefined>): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of m) if (v !== undefined) out.set(k, v);
    return out;
  }

  async execute(onStep: (s: StepInfo) => void): Promise<BuildResult> {
    const externalImages = new Set<string>();
    for (const s of this.order) {
      const ref = processWord(s.from.image, this.defined(this.metaArgs), { escape: this.df.escape });
      if (ref !== 'scratch' && this.stageRef(ref, s.index) === undefined) externalImages.add(fullRef(ref));
    }
    const usesContext = this.order.some((s) =>
      s.steps.some((st) => (st.kind === 'COPY' || st.kind === 'ADD') && (st.kind !== 'COPY' || st.from === undefined)),
    );
    const failure = this.req.mode === 'buildkit' ? await this.loadMetadata() : undefined;
    this.reporter.begin({
      dockerfileBytes: this.df.lines.join('\n').length,
      contextTarSize: this.context.tarSize,
      contextBytes: this.context.bytes,
      images: [...externalImages],
      usesContext,
      ...(failure
        ? { metadataFailure: { image: failure.error.fullRef, reason: failure.error.reason, line: failure.line, endLine: failure.endLine } }
        : {}),
    });
    if (failure) throw failure.error;
    let last: StageState | undefined;
    for (const stage of this.order) {
      last = await this.runStage(stage, onStep);
      this.stageResults.set(stage.index, last);
    }
    const state = last!;
    let image: ImageRecord;
    if (this.req.mode === 'classic' && state.imageId !== undefined) {
      // Docker (classic): the image is the last step's intermediate image.
      image = this.deps.images.resolve(state.imageId);
    } else {
      const added = await this.deps.images.addImage(this.imageConfig(state));
      image = added.image;
      if (added.created) this.deps.emit({ type: 'image.created', id: image.id, tags: [] });
    }
    for (const tag of this.req.tags) {
      const ref = familiar(tag);
      const previous = this.deps.images.tag(image, ref, this.deps.drivers.clock.now());
      if (previous) this.deps.emit({ type: 'image.untagged', id: previous.id, tag: ref });
      this.deps.emit({ type: 'image.tagged', id: image.id, tag: ref });
    }
    return { image, cached: this.cached, ran: this.ran };
  }

  private imageConfig(state: StageState): ImageConfig {
    const created = state.history.at(-1)?.created ?? new Date(this.deps.drivers.clock.now()).toISOString();
    return {
      architecture: state.architecture,
      config: { ...state.config },
      created,
      history: state.history.map((h) => ({ ...h })),
      os: state.os,
      rootfs: { type: 'layers', diff_ids: [...state.diffIds] },
    };
  }

  private info(stage: Stage, ins: Instruction, vertexIndex: number | undefined, vertexTotal: number): StepInfo {
    this.step++;
    const label = this.order.length > 1 || this.df.stages.length > 1 ? `${stage.name ?? `stage-${stage.index}`} ` : '';
    return {
      step: this.step,
      total: this.total,
      instruction: ins,
      ...(vertexIndex !== undefined ? { vertex: `[${label}${vertexIndex}/${vertexTotal}]` } : {}),
    };
  }

  /**
   * BuildKit's `load metadata for …`: each FROM image not in the image store is resolved on its
   * registry — manifest and config — before any step runs (moby's builder-next looks in the
   * image store first). The first that fails fails the build, with its FROM's lines.
   */
  private async loadMetadata(): Promise<{ error: BaseImageUnresolved; line: number; endLine: number } | undefined> {
    for (const s of this.order) {
      const written = processWord(s.from.image, this.defined(this.metaArgs), { escape: this.df.escape });
      if (written === 'scratch' || this.stageRef(written, s.index) !== undefined || this.remote.has(written) || this.isLocal(written)) continue;
      const full = fullRef(written);
      const source = this.deps.source?.(written);
      try {
        if (!source) throw new RegistryUnreachable(`failed to do request: no registry reaches ${full}`, { ref: full });
        if (source instanceof EngineError) throw source;
        this.remote.set(written, { source, resolved: await source.resolve() });
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        // BuildKit: the resolver's error, behind the name as written and the full reference.
        const reason = err.code === 'MANIFEST_NOT_FOUND' ? `${full}: not found` : err.message;
        return { error: new BaseImageUnresolved(written, full, reason), line: s.from.line, endLine: s.from.endLine };
      }
    }
    return undefined;
  }

  private isLocal(ref: string): boolean {
    try {
      this.deps.images.resolve(ref);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * BuildKit's FROM of an image the metadata load found on a registry: the vertex is named by
   * its digest, and the layers the store lacks are pulled under it (`resolve`, `extracting`,
   * the blobs' bytes) — unless this engine's BuildKit pulled that manifest before and its
   * layers are still here, when the vertex has nothing to do. Nothing is tagged.
   */
  private async pullRemote(written: string, info: StepInfo): Promise<PulledBase> {
    const remote = this.remote.get(written)!;
    info.fromRef = remote.resolved.pinned;
    this.reporter.stepStarted(info);
    // A second stage from the same image stands on what the first one's FROM pulled.
    if (remote.pulled) return remote.pulled;
    const known = pulledBasesFor(this.deps.images);
    const before = known.get(remote.resolved.manifest.digest);
    remote.pulled =
      before && before.chainIds.every((c) => this.deps.images.layers.has(c))
        ? before
        : await remote.source.pull(remote.resolved, (line) => this.reporter.status(info, line));
    known.set(remote.resolved.manifest.digest, remote.pulled);
    return remote.pulled;
  }

  private async runStage(stage: Stage, onStep: (s: StepInfo) => void): Promise<StageState> {
    const vertexTotal = 1 + stage.steps.filter((s) => VERTEX_KINDS.has(s.kind)).length;
    let vertexIndex = 1;
    // FROM
    const fromRef = processWord(stage.from.image, this.defined(this.metaArgs), { escape: this.df.escape });
    const fromStage = this.stageRef(fromRef, stage.index);
    const info = this.info(stage, stage.from, fromRef === 'scratch' || fromStage !== undefined ? undefined : vertexIndex, vertexTotal);
    const t0 = this.deps.drivers.clock.now();
    const remote = this.remote.has(fromRef) && fromStage === undefined ? await this.pullRemote(fromRef, info) : undefined;
    const pulled = remote === undefined && fromRef !== 'scratch' && fromStage === undefined ? await this.pullBase(fromRef, info) : false;
    const state = await this.baseState(fromRef, fromStage, remote);
    if (fromRef !== 'scratch' && fromStage === undefined) {
      info.fromRef ??= fullRef(fromRef);
      info.baseImageId = state.imageId;
    }
    // A base BuildKit pulled is in no image record: the picture has no image to point at.
    this.base = { imageId: info.baseImageId !== undefined && !remote ? (state.imageId ?? null) : null, layers: state.chain.length };
    onStep(info);
    this.stepEvent(info);
    if (!pulled && !remote) this.reporter.stepStarted(info);
    this.reporter.stepDone(info, {
      ...(state.imageId ? { imageId: state.imageId } : {}),
      seconds: remote ? (this.deps.drivers.clock.now() - t0) / 1000 : 0,
    });
    this.publish(state, info);
    this.deps.emit({ type: 'build.step.done', buildId: this.buildId, step: info.step, diffId: null, emptyLayer: true });
    for (const ins of stage.steps) {
      const s = this.info(stage, ins, VERTEX_KINDS.has(ins.kind) ? ++vertexIndex : undefined, vertexTotal);
      onStep(s);
      await this.runStep(state, ins, s);
    }
    return state;
  }

  /**
   * moby's classic builder (builder/dockerfile/imagecontext.go): a FROM image that is not
   * here is pulled, its progress in the build's output under the `Step n/N : FROM` line, and
   * tagged as a `docker pull` tags it. BuildKit resolves bases by itself; Layerlab's BuildKit
   * does not pull. Whether the step was announced (it is, before the pull).
   */
  private async pullBase(ref: string, info: StepInfo): Promise<boolean> {
    if (this.req.mode !== 'classic' || !this.deps.pull) return false;
    try {
      this.deps.images.resolve(ref);
      return false;
    } catch {
      // not here: pulled below, if a registry has it
    }
    const pull = this.deps.pull(fullRef(ref));
    if (!pull) return false;
    this.reporter.stepStarted(info);
    await pull((text) => this.reporter.output(info, text));
    return true;
  }

  private async baseState(ref: string, fromStage: number | undefined, remote?: PulledBase): Promise<StageState> {
    const host = this.deps.drivers.host;
    const blank = (key: string): StageState => ({
      config: {},
      history: [],
      diffIds: [],
      chain: [],
      architecture: host.architecture === 'x86_64' ? 'amd64' : host.architecture === 'aarch64' ? 'arm64' : host.architecture,
      os: 'linux',
      shell: DEFAULT_SHELL,
      args: new Map(),
      cmdSet: false,
      key,
    });
    // The two builders keep separate caches, as Docker's do.
    if (ref === 'scratch') return blank(`${this.req.mode}:scratch`);
    if (fromStage !== undefined) {
      const s = this.stageResults.get(fromStage);
      if (!s) throw new BuildError(`stage ${ref} was not built`);
      return {
        ...s,
        config: structuredClone(s.config),
        history: [...s.history],
        diffIds: [...s.diffIds],
        chain: [...s.chain],
        args: new Map(),
        cmdSet: false,
      };
    }
    let image: Pick<ImageRecord, 'id' | 'config' | 'chainIds'>;
    if (remote) image = remote;
    else {
      try {
        image = this.deps.images.resolve(ref);
      } catch {
        // Classic only (BuildKit's metadata load failed before any step): not here, and no registry this backend reaches has it.
        throw new BuildError(
          `pull access denied for ${ref}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
          { ref },
        );
      }
    }
    const c = image.config;
    return {
      ...blank(`${this.req.mode}:image:${image.id}`),
      config: structuredClone(c.config),
      history: c.history.map((h) => ({ ...h })),
      diffIds: [...c.rootfs.diff_ids],
      chain: [...image.chainIds],
      architecture: c.architecture,
      os: c.os,
      // Docker: SHELL is part of the image config, so a child image inherits it.
      shell: c.config.Shell ?? DEFAULT_SHELL,
      imageId: image.id,
    };
  }

  private stepEvent(s: StepInfo): void {
    this.deps.emit({
      type: 'build.step.started',
      buildId: this.buildId,
      step: s.step,
      total: s.total,
      instruction: s.instruction.text,
      line: s.instruction.line,
    });
  }

  /** Variables for expansion: the stage's ARGs (or `args`), overridden by its ENV (Docker: ENV wins). */
  private vars(state: StageState, args: ReadonlyMap<string, string | undefined> = state.args): Vars {
    const vars = this.defined(args);
    for (const e of state.config.Env ?? []) {
      const eq = e.indexOf('=');
      if (eq > 0) vars.set(e.slice(0, eq), e.slice(eq + 1));
    }
    return vars;
  }

  private word(state: StageState, raw: string): string {
    return processWord(raw, this.vars(state), { escape: this.df.escape });
  }

  /** The stage as a step reads it; its plan says what changes. */
  private stepContext(state: StageState): StepContext {
    const escape = this.df.escape;
    return {
      state,
      mode: this.req.mode,
      escape,
      buildArgs: this.req.buildArgs,
      metaArg: (name) => this.metaArgs.get(name),
      vars: (args) => this.vars(state, args),
      word: (raw) => this.word(state, raw),
      words: (raw) => processWords(raw, this.vars(state), { escape }),
      context: this.context.view,
      view: (chain) => this.view(chain),
      fromView: async (ref) => {
        const stageIndex = this.stageRef(ref, this.df.stages.length);
        const chain = stageIndex !== undefined ? this.stageResults.get(stageIndex)?.chain : this.deps.images.resolve(ref).chainIds;
        if (!chain) throw new BuildError(`stage ${ref} was not built`);
        return this.view(chain);
      },
      unpackBytes: this.deps.unpackBytes,
    };
  }

  private async runStep(state: StageState, ins: StepInstruction, s: StepInfo): Promise<void> {
    this.stepEvent(s);
    this.reporter.stepStarted(s);
    const t0 = this.deps.drivers.clock.now();
    const plan = await planStep(ins, this.stepContext(state));
    if (plan.config) Object.assign(state.config, plan.config);
    if (plan.stage) Object.assign(state, plan.stage);
    const historyText = createdBy(this.req.mode, ins, plan.text, plan.runArgs);
    state.key = stepKey(state.key, plan.cacheInput ?? { k: ins.kind, text: historyText });
    const hit = this.missed ? undefined : this.lookup(state.key);
    if (hit) {
      this.cached++;
      this.apply(state, hit, historyText);
      await this.commitIntermediate(state);
      this.reporter.stepCached(s, state.imageId);
      this.publish(state, s);
      this.deps.emit({ type: 'build.step.cached', buildId: this.buildId, step: s.step, diffId: hit.layer?.diffId ?? null });
      return;
    }
    this.missed = true;
    this.ran++;
    let containerId: string | undefined;
    let layer: CachedStep['layer'] = null;
    if (plan.layer) {
      const made = await this.makeLayer(state, plan.layer, s);
      containerId = made.containerId;
      if (made.changes.length > 0) layer = await this.addLayer(state, made.changes, historyText);
    }
    const entry: CachedStep = { created: new Date(this.deps.drivers.clock.now()).toISOString(), layer };
    this.cache.set(state.key, entry);
    this.apply(state, entry, historyText);
    if (this.req.mode === 'classic' && containerId === undefined && !(ins.kind === 'COPY' || ins.kind === 'ADD')) {
      // Docker (classic): every instruction but COPY/ADD commits a container.
      containerId = this.newContainerId();
      this.reporter.containerStarted(s, containerId);
    }
    await this.commitIntermediate(state);
    this.reporter.stepDone(s, {
      ...(state.imageId ? { imageId: state.imageId } : {}),
      ...(containerId ? { containerId } : {}),
      seconds: (this.deps.drivers.clock.now() - t0) / 1000,
    });
    this.publish(state, s);
    this.deps.emit({ type: 'build.step.done', buildId: this.buildId, step: s.step, diffId: layer?.diffId ?? null, emptyLayer: layer === null });
  }

  /** Before the step's event, so a snapshot asked for on that event holds the step. */
  private publish(state: StageState, s: StepInfo): void {
    this.deps.builds.set({
      id: this.buildId,
      baseImageId: this.base.imageId,
      baseLayers: this.base.layers,
      started: this.started,
      step: s.step,
      total: s.total,
      diffIds: state.diffIds,
      chainIds: state.chain,
      history: state.history,
    });
  }

  private lookup(key: string): CachedStep | undefined {
    const hit = this.cache.get(key);
    if (!hit) return undefined;
    // A layer removed since (rmi) makes the entry useless.
    if (hit.layer && !this.deps.images.layers.has(hit.layer.chainId)) {
      this.cache.delete(key);
      return undefined;
    }
    return hit;
  }

  private apply(state: StageState, step: CachedStep, historyText: string): void {
    const entry: HistoryEntry = { created: step.created, created_by: historyText };
    if (this.req.mode === 'buildkit') entry.comment = 'buildkit.dockerfile.v0';
    if (step.layer) {
      state.diffIds.push(step.layer.diffId);
      state.chain.push(step.layer.chainId);
    } else {
      entry.empty_layer = true;
    }
    state.history.push(entry);
  }

  /** Classic builder: each step's result is an image whose parent is the previous one. */
  private async commitIntermediate(state: StageState): Promise<void> {
    if (this.req.mode !== 'classic') return;
    const { image, created } = await this.deps.images.addImage(this.imageConfig(state), state.imageId ?? null);
    if (created) this.deps.emit({ type: 'image.created', id: image.id, tags: [] });
    state.imageId = image.id;
  }

  private async addLayer(state: StageState, changes: Change[], historyText: string): Promise<CachedStep['layer']> {
    const { diffId, size } = await layerDigest(changes, { sourceDateEpoch: this.req.sourceDateEpoch ?? 0 });
    const parent = state.chain[state.chain.length - 1] ?? null;
    const { record, created } = await this.deps.images.addLayer(parent, { diffId, size, changes, createdBy: historyText });
    if (created) this.deps.emit({ type: 'layer.created', diffId, chainId: record.chainId });
    return { diffId, chainId: record.chainId, size };
  }

  private view(chain: readonly Digest[]): Promise<RootfsView> {
    return rootfsView(this.deps.drivers.snapshotter, chain, this.memo);
  }

  private newContainerId(): string {
    const random = this.deps.random ?? Math.random;
    let id = '';
    for (let i = 0; i < 64; i++) id += Math.floor(random() * 16).toString(16);
    return id;
  }

  /** A step's layer recipe made into entries (RUN also names the container it ran in). */
  private async makeLayer(state: StageState, recipe: LayerRecipe, s: StepInfo): Promise<{ changes: Change[]; containerId?: string }> {
    switch (recipe.kind) {
      case 'changes':
        return { changes: recipe.changes };
      case 'mkdir':
        return { changes: mkdirChanges(await this.view(state.chain), recipe.path) };
      case 'run':
        return this.runContainer(state, recipe.process, s);
    }
  }

  /** RUN: a container of the backend's runtime on a snapshot of the stage so far, run as `docker run` runs one. */
  private async runContainer(state: StageState, process: StepProcess, s: StepInfo): Promise<{ changes: Change[]; containerId: string }> {
    const { snapshotter, runtime, host } = this.deps.drivers;
    const id = this.newContainerId();
    const key = `build-${id}`;
    const parent = state.chain[state.chain.length - 1];
    const mounts = await snapshotter.prepare(key, parent);
    const decoder = new TextDecoder();
    const write = (chunk: Uint8Array) => this.reporter.output(s, decoder.decode(chunk, { stream: true }));
    const onAbort = () => void runtime.kill(id, 'SIGKILL').catch(() => undefined);
    let code: number;
    try {
      try {
        const handle = await startOnSnapshot(
          { runtime, host, resources: this.deps.resources ?? DEFAULT_RESOURCE_POLICY },
          // The classic builder runs each RUN in an ordinary container: Docker's etc files
          // and init layer are there (recorded: cases/build/run-etc.case).
          { id, hostname: id.slice(0, 12), rootfs: mounts, process: { ...process, tty: false }, requested: NO_REQUESTED_RESOURCES },
          { stdout: write, stderr: write },
          () => {
            this.reporter.containerStarted(s, id);
            this.req.signal?.addEventListener('abort', onAbort, { once: true });
          },
        );
        code = await handle.wait();
      } finally {
        this.req.signal?.removeEventListener('abort', onAbort);
        await runtime.delete(id).catch(() => undefined);
      }
      if (code !== 0) throw new RunStepFailed(process.args.join(' '), code);
      const changes = await snapshotter.changes(key);
      return { changes, containerId: id };
    } finally {
      await snapshotter.remove(key).catch(() => undefined);
    }
  }
}
