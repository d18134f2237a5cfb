import { createActor, type Subscription } from 'xstate';
import { afterPaint } from '../client/after-paint.js';
import { format, readLabels, type Labels } from '../client/labels.js';
import { shortId } from '../engine/digest.js';
import type { ContainerState, StateSnapshot } from '../engine/state.js';
import { LAYER_HOVER_EVENT, LAYER_SELECT_EVENT, type LayerHoverDetail, type LayerSelectDetail } from '../editor/layer-link-event.js';
import { engineSource } from '../model/engine.source.js';
import { sandboxMachine, type SandboxActor, type SandboxSnapshot, type Selection } from '../model/sandbox.machine.js';
import { toFileTree, type FileTreeTarget } from '../views/file-tree.view-model.js';
import { renderFileTree } from '../views/file-tree.view.js';
import { toLayerGraph, type LayerGraph } from '../views/layer-graph.view-model.js';
import { transformOf } from '../views/pan-zoom.view.js';
import { fitLayerGraph, renderLayerGraph } from '../views/layer-graph.view.js';
import { toStateTables } from '../views/state-table.view-model.js';
import { renderStateTable } from '../views/state-table.view.js';
import { diffIdOfSelection, selectionForDiffId } from './layer-link.js';
import { namespaceTable } from './namespace-rows.js';
import { fileTreeLabels, layerGraphLabels, namespaceLabels, stateTableLabels } from './picture-labels.js';
import { upperListing } from './upper-listing.js';

/**
 * `<ll-picture>`: the layer graph, a file explorer for what is selected, an "under the
 * hood" panel for a selected container and the same state as tables. It subscribes to
 * a sandbox machine (src/model/sandbox.machine.ts) and to nothing else (STYLE.md: only
 * islands subscribe to actors; views are functions of their input).
 *
 * With `data-source="page"` it starts a machine on the page's engine itself; otherwise
 * whoever owns the page hands it a running machine with `attach(actor)`.
 *
 * It meets the editor through document events (src/editor/layer-link-event.ts): a
 * hovered annotation lights its layer here, and a layer chosen here (click, Enter)
 * asks the editor to show the line that made it.
 */
export class PictureElement extends HTMLElement {
  private labels: Labels = {};
  private actor: SandboxActor | undefined;
  private ownsActor = false;
  private subscription: Subscription | undefined;
  private graph: LayerGraph | null = null;
  private drawnRevision = -1;
  private drawnSelection: Selection | null | undefined;
  /** The diffID the editor's pointer is on, lit in the graph. */
  private linked: string | null = null;
  private fitted = false;
  /** The zoom transform of the last fit and the extent it fitted; a different transform means the learner moved. */
  private fit: { transform: string; cols: number; rows: number } | null = null;
  /** The snapshot to draw once the frame has painted (render's comment), and whether that draw is asked for. */
  private pending: SandboxSnapshot | undefined;
  private drawAsked = false;
  private parts!: {
    status: HTMLElement;
    svg: SVGSVGElement;
    empty: HTMLElement;
    filesHint: HTMLElement;
    tree: HTMLElement;
    hood: HTMLElement;
    tables: HTMLElement;
  };

  connectedCallback(): void {
    this.labels = readLabels(this);
    const part = <E extends Element>(name: string) => this.querySelector<E>(`[data-${name}]`)!;
    this.parts = {
      status: part('status'),
      svg: part<SVGSVGElement>('graph'),
      empty: part('empty'),
      filesHint: part('files-hint'),
      tree: part('tree'),
      hood: part('hood'),
      tables: part('tables'),
    };
    // An embed's picture (`data-standalone`) has no editor beside it on the page, and two embeds must not select each other's layers.
    if (!this.standalone) {
      document.addEventListener(LAYER_HOVER_EVENT, this.onLayerHover);
      document.addEventListener(LAYER_SELECT_EVENT, this.onLayerSelect);
    }
    if (this.actor) this.listen(this.actor);
    else if (this.dataset.source === 'page') this.startOnPageEngine();
  }

  disconnectedCallback(): void {
    document.removeEventListener(LAYER_HOVER_EVENT, this.onLayerHover);
    document.removeEventListener(LAYER_SELECT_EVENT, this.onLayerSelect);
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    if (this.ownsActor) {
      this.actor?.stop();
      this.actor = undefined;
      this.ownsActor = false;
    }
  }

  /** Draws what `actor` holds from now on. */
  attach(actor: SandboxActor): void {
    this.subscription?.unsubscribe();
    this.actor = actor;
    this.drawnRevision = -1;
    this.drawnSelection = undefined;
    if (this.isConnected && this.parts) this.listen(actor);
  }

  private get standalone(): boolean {
    return this.hasAttribute('data-standalone');
  }

  /** The machine this picture draws, for the page's other islands and for tests. */
  get sandbox(): SandboxActor | undefined {
    return this.actor;
  }

  private readonly onLayerHover = (event: Event): void => {
    const { diffId } = (event as CustomEvent<LayerHoverDetail>).detail;
    if (diffId === this.linked) return;
    this.linked = diffId;
    const snapshot = this.actor?.getSnapshot();
    if (snapshot && this.graph) this.drawGraph(this.graph, snapshot.context.selection);
  };

  /** A layer named elsewhere (this graph too): select it, so the files panel shows it. */
  private readonly onLayerSelect = (event: Event): void => {
    const { diffId } = (event as CustomEvent<LayerSelectDetail>).detail;
    const current = this.actor?.getSnapshot().context.selection ?? null;
    const next = this.graph ? selectionForDiffId(this.graph, diffId, current) : null;
    if (next && !sameSelection(next, current)) this.actor?.send({ type: 'selection.set', selection: next });
  };

  private readonly onSelect = (selection: Selection): void => {
    this.actor?.send({ type: 'selection.set', selection });
    const diffId = this.graph ? diffIdOfSelection(this.graph, selection) : undefined;
    // On the document: the editor is another island, and neither imports the other.
    if (diffId && !this.standalone) document.dispatchEvent(new CustomEvent<LayerSelectDetail>(LAYER_SELECT_EVENT, { detail: { diffId } }));
  };

  private startOnPageEngine(): void {
    // An embed attaches its widget's own machine; its build has no page engine (no-page-engine.ts).
    if (import.meta.env.LAYERLAB_EMBED) return;
    this.say('picture.connecting');
    // Loaded on demand: a page that attaches its own machine never pulls the engine in.
    void import('../client/page-engine.js')
      .then(({ pageEngine }) => pageEngine())
      .then(
        (engine) => {
          if (this.actor || !this.isConnected) return;
          const actor = createActor(sandboxMachine().provide({ actors: { source: engineSource(engine) } }));
          this.ownsActor = true;
          this.attach(actor);
          actor.start();
        },
        (err: unknown) => this.say('picture.offline', { message: err instanceof Error ? err.message : String(err) }),
      );
  }

  private listen(actor: SandboxActor): void {
    this.subscription?.unsubscribe();
    this.subscription = actor.subscribe((snapshot) => this.render(snapshot));
    this.render(actor.getSnapshot());
  }

  /**
   * The connection's status at once; the drawing at most once a frame, of the latest snapshot, in a task after the
   * frame has painted. A first draw costs ~40 ms at 4× CPU throttling (d3's join and a forced layout): drawn in the
   * task that opened the engine, it held back the frame that shows the terminal taking keys (issue 15's start,
   * BENCHMARKS.md); and a burst of states (a command's several events) is drawn once, not once each.
   */
  private render(snapshot: SandboxSnapshot): void {
    const { connection, error } = snapshot.context;
    if (connection === 'connecting') this.say('picture.connecting');
    else if (connection === 'failed' || connection === 'closed') this.say('picture.offline', { message: error ?? connection });
    else this.parts.status.textContent = '';
    this.pending = snapshot;
    if (this.drawAsked) return;
    this.drawAsked = true;
    afterPaint(() => {
      this.drawAsked = false;
      const next = this.pending;
      this.pending = undefined;
      if (next && this.isConnected) this.draw(next);
    });
  }

  private draw(snapshot: SandboxSnapshot): void {
    const { state, revision, selection } = snapshot.context;
    if (!state) return;
    const stateMoved = revision !== this.drawnRevision;
    if (!stateMoved && sameSelection(selection, this.drawnSelection)) return;

    if (stateMoved || !this.graph) this.graph = toLayerGraph(state, snapshot.context.previous);
    this.drawGraph(this.graph, selection);
    renderStateTable(this.parts.tables, toStateTables(state), {
      labels: stateTableLabels(this.labels),
      onSelect: this.onSelect,
      selected: selection,
    });
    this.renderFiles(state, selection);
    this.renderHood(state, selection);
    this.drawnRevision = revision;
    this.drawnSelection = selection;
    // Which engine state is drawn (its `seq`): what a test waits on, instead of on time.
    if (state.seq !== undefined) this.dataset.seq = String(state.seq);
  }

  private drawGraph(graph: LayerGraph, selection: Selection | null): void {
    const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    const empty = graph.layers.length === 0 && graph.containers.length === 0;
    this.parts.empty.hidden = !empty;
    // The first fit needs the drawing's size; read it once, not on every update (a forced layout).
    const size = !this.fitted && !empty ? { width: this.parts.svg.clientWidth || 640, height: this.parts.svg.clientHeight || 320 } : {};
    if (!empty) this.fitted = true;
    const opts = {
      labels: layerGraphLabels(this.labels),
      onSelect: this.onSelect,
      selected: selection,
      linked: this.linked,
      duration: reduced ? 0 : 300,
    };
    renderLayerGraph(this.parts.svg, graph, { ...opts, ...size });
    if (!empty) this.keepInView(graph);
  }

  /**
   * The renderer fits the graph once and then keeps the learner's zoom. A graph that
   * grew past that first fit is fitted again — unless the learner zoomed or panned
   * since, which shows as a transform other than the one the last fit set.
   */
  private keepInView(graph: LayerGraph): void {
    const svg = this.parts.svg;
    const now = transformOf(svg).toString();
    if (this.fit === null) {
      this.fit = { transform: now, cols: graph.cols, rows: graph.rows };
      return;
    }
    if (now !== this.fit.transform || (graph.cols <= this.fit.cols && graph.rows <= this.fit.rows)) return;
    fitLayerGraph(svg, graph, { width: svg.clientWidth || 640, height: svg.clientHeight || 320 });
    this.fit = { transform: transformOf(svg).toString(), cols: graph.cols, rows: graph.rows };
  }

  private renderFiles(state: StateSnapshot, selection: Selection | null): void {
    const tree = selection ? toFileTree(state, targetOf(selection)) : null;
    this.parts.filesHint.hidden = tree !== null;
    this.parts.tree.hidden = tree === null;
    if (!tree || !selection) {
      this.parts.tree.replaceChildren();
      return;
    }
    const what = nameOf(state, selection);
    renderFileTree(this.parts.tree, tree, { labels: fileTreeLabels(this.labels, format(this.labels, 'picture.files.of', { what })) });
  }

  /** What the kernel mounted for the selected container (or, on the simulator, would have). */
  private renderHood(state: StateSnapshot, selection: Selection | null): void {
    const hood = this.parts.hood;
    const container = selection?.kind === 'container' ? state.containers.find((c) => c.id === selection.id) : undefined;
    const title = hood.querySelector('[data-hood-title]')!;
    const hint = hood.querySelector<HTMLElement>('[data-hood-hint]')!;
    const body = hood.querySelector<HTMLElement>('[data-hood-body]')!;
    hint.hidden = container !== undefined;
    body.hidden = container === undefined;
    title.textContent = container
      ? format(this.labels, 'picture.hood.title', { name: container.name })
      : format(this.labels, 'picture.hood.title', { name: '—' });
    if (!container) {
      body.replaceChildren();
      hood.removeAttribute('data-simulated');
      return;
    }
    const simulated = container.mount?.simulated ?? state.backend === 'sim';
    hood.dataset.simulated = String(simulated);
    body.replaceChildren(...hoodContent(this.labels, container, simulated));
  }

  private say(key: string, params: Record<string, string | number> = {}): void {
    if (this.parts) this.parts.status.textContent = format(this.labels, key, params);
  }
}

function hoodContent(labels: Labels, c: ContainerState, simulated: boolean): Node[] {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const code = (text: string) => {
    const node = el('code', text);
    // Paths and mount options are the kernel's words, never translated.
    node.lang = 'en';
    return node;
  };
  const badge = el(
    'p',
    format(labels, simulated ? 'picture.hood.simulated' : 'picture.hood.real'),
    `hood__badge hood__badge--${simulated ? 'simulated' : 'real'}`,
  );
  const dl = el('dl', undefined, 'hood__facts');
  const fact = (term: string, ...value: Node[]) => {
    const dd = el('dd');
    dd.append(...value);
    dl.append(el('dt', format(labels, term)), dd);
  };
  if (c.mount) {
    // Whose words the line is: the kernel's (read from its mountinfo) or ours, reconstructed.
    const origin =
      c.mount.readFrom === null
        ? el('span', format(labels, 'picture.hood.mountReconstructed'), 'hood__origin hood__origin--reconstructed')
        : el('span', format(labels, 'picture.hood.mountKernel', { file: c.mount.readFrom }), 'hood__origin hood__origin--kernel');
    const line = el('div');
    line.append(code(c.mount.line));
    fact('picture.hood.mount', line, origin);
    const lower = el('ol', undefined, 'hood__lower');
    for (const dir of c.mount.lowerDirs) {
      const li = el('li');
      li.append(code(dir));
      lower.append(li);
    }
    fact('picture.hood.lower', lower);
    fact('picture.hood.upper', code(c.mount.upperDir));
    fact('picture.hood.work', code(c.mount.workDir));
  } else {
    dl.append(el('dd', format(labels, 'picture.hood.notMounted')));
  }
  fact('picture.hood.pid', document.createTextNode(c.pid === null ? format(labels, 'picture.hood.noPid') : String(c.pid)));
  const listing = el('h4', format(labels, 'picture.hood.listing'));
  const pre = el('pre', c.upper.length ? upperListing(c.upper) : format(labels, 'picture.hood.emptyUpper'), 'hood__upper');
  if (c.upper.length) pre.lang = 'en';
  return [badge, dl, ...namespaceContent(labels, c), listing, pre];
}

/** The init's namespaces as a table, and one sentence that says what the table shows. */
function namespaceContent(labels: Labels, c: ContainerState): Node[] {
  if (!c.namespaces?.length) return [];
  const words = namespaceLabels(labels);
  const { rows, own, shared } = namespaceTable(c.namespaces);
  const cell = (tag: 'td' | 'th', text: string, kernelWords = false) => {
    const node = document.createElement(tag);
    if (!kernelWords) {
      node.textContent = text;
      return node;
    }
    // Namespace types and readlink's output are the kernel's words, never translated.
    const code = document.createElement('code');
    code.textContent = text;
    code.lang = 'en';
    node.append(code);
    return node;
  };
  const table = document.createElement('table');
  table.className = 'hood__ns';
  const caption = document.createElement('caption');
  caption.textContent = words.caption;
  const head = document.createElement('tr');
  for (const text of [words.type, words.link, words.whose]) {
    const th = cell('th', text);
    th.scope = 'col';
    head.append(th);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  const body = document.createElement('tbody');
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.className = `hood__ns-row hood__ns-row--${r.sharing}`;
    tr.dataset.type = r.type;
    const type = cell('th', r.type, true);
    type.scope = 'row';
    tr.append(type, cell('td', r.link, true), cell('td', words.sharing[r.sharing]));
    body.append(tr);
  }
  table.append(caption, thead, body);
  const list = (types: string[]) => (types.length ? types.join(', ') : words.none);
  const summary = document.createElement('p');
  summary.className = 'hood__ns-summary';
  summary.textContent = format({ summary: words.summary }, 'summary', { own: list(own), shared: list(shared) });
  return [table, summary];
}

function targetOf(selection: Selection): FileTreeTarget {
  switch (selection.kind) {
    case 'image':
      return { image: selection.id };
    case 'layer':
      return { layer: selection.chainId };
    case 'container':
      return { container: selection.id };
  }
}

function nameOf(state: StateSnapshot, selection: Selection): string {
  switch (selection.kind) {
    case 'image':
      return state.images.find((i) => i.id === selection.id)?.repoTags[0] ?? shortId(selection.id);
    case 'layer': {
      const layer = state.layers.find((l) => l.chainId === selection.chainId);
      return layer ? shortId(layer.diffId) : shortId(selection.chainId);
    }
    case 'container':
      return state.containers.find((c) => c.id === selection.id)?.name ?? selection.id.slice(0, 12);
  }
}

function sameSelection(a: Selection | null, b: Selection | null | undefined): boolean {
  if (b === undefined) return false;
  if (a === null || b === null) return a === b;
  return a.kind === b.kind && (a.kind === 'layer' ? a.chainId : a.id) === (b.kind === 'layer' ? b.chainId : b.id);
}

if (!customElements.get('ll-picture')) customElements.define('ll-picture', PictureElement);
