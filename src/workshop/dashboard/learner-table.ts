import { compareRows, formatDuration, rowMatches, type LearnerRow, type LessonOrder, type RowFilter, type SortOrder } from './class-rows.js';

/** How the table words a row's parts; every learner's own string goes in as text, never markup. */
export interface RowWords {
  place(row: LearnerRow): string;
  lessonTitle(lesson: string | null): string;
  backend(row: LearnerRow): string;
  stuck(row: LearnerRow): string;
  exitCode(row: LearnerRow): string;
}

interface RowView {
  tr: HTMLTableRowElement;
  name: HTMLButtonElement;
  cells: Record<'place' | 'time' | 'commands' | 'failed' | 'command' | 'exit' | 'backend' | 'stuck', HTMLElement>;
}

/**
 * The class table: one `<tr>` per learner, kept by id. A change marks rows dirty and asks for one
 * animation frame; the frame writes only the cells whose text changed, then moves rows only if the
 * order did, so 300 learners reporting at once cost one layout per frame, not one per message.
 */
export class LearnerTable {
  private readonly rows = new Map<string, LearnerRow>();
  private readonly views = new Map<string, RowView>();
  private readonly dirty = new Set<string>();
  private reorder = true;
  private frame = 0;
  private order: SortOrder = { key: 'place', descending: false };
  private filter: RowFilter = { text: '', stuckOnly: false };
  private selected: string | null = null;
  private shown: LearnerRow[] = [];
  /** The server's time as this page reckons it (times on steps are the server's clock, not the projector laptop's). */
  clock: () => number = () => Date.now();

  constructor(
    private readonly tbody: HTMLTableSectionElement,
    private readonly words: RowWords,
    private readonly lessons: () => LessonOrder,
    private readonly onSelect: (learnerId: string) => void,
    /** After each frame that changed something: the rows as they now stand. */
    private readonly onRendered: (all: readonly LearnerRow[], shown: readonly LearnerRow[]) => void,
  ) {}

  /** Changed or new learners. */
  upsert(rows: readonly LearnerRow[]): void {
    for (const row of rows) {
      this.rows.set(row.id, row);
      this.dirty.add(row.id);
    }
    this.reorder = true;
    this.schedule();
  }

  /** The whole class (a reconnect's catch-up): learners not in it are gone (a deleted workshop's are). */
  replaceAll(rows: readonly LearnerRow[]): void {
    const ids = new Set(rows.map((r) => r.id));
    for (const id of this.rows.keys()) {
      if (!ids.has(id)) {
        this.rows.delete(id);
        this.dirty.add(id);
      }
    }
    this.upsert(rows);
  }

  get(learnerId: string): LearnerRow | undefined {
    return this.rows.get(learnerId);
  }

  get all(): readonly LearnerRow[] {
    return [...this.rows.values()];
  }

  sortBy(order: SortOrder): void {
    this.order = order;
    this.reorder = true;
    this.schedule();
  }

  filterBy(filter: RowFilter): void {
    this.filter = filter;
    this.reorder = true;
    this.schedule();
  }

  select(learnerId: string | null): void {
    for (const id of [this.selected, learnerId]) if (id) this.dirty.add(id);
    this.selected = learnerId;
    this.schedule();
  }

  /** The clocks: time on step moves every second without the row changing. */
  tick(now: number): void {
    for (const row of this.shown) {
      const view = this.views.get(row.id);
      if (view) setText(view.cells.time, row.stepSince === null ? '—' : formatDuration(now - row.stepSince));
    }
  }

  /** Renders now what is pending (tests, and a page hidden when a frame would never come). */
  flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private render(): void {
    if (this.dirty.size === 0 && !this.reorder) return;
    for (const id of this.dirty) {
      const row = this.rows.get(id);
      const view = this.views.get(id);
      if (!row) {
        view?.tr.remove();
        this.views.delete(id);
      } else this.write(view ?? this.make(row), row);
    }
    this.dirty.clear();
    if (this.reorder) this.arrange();
    this.reorder = false;
    this.tick(this.clock());
    this.onRendered(this.all, this.shown);
  }

  private arrange(): void {
    const sorted = [...this.rows.values()].sort(compareRows(this.order, this.lessons()));
    this.shown = [];
    let at: ChildNode | null = this.tbody.firstChild;
    for (const row of sorted) {
      const view = this.views.get(row.id)!;
      const matches = rowMatches(row, this.filter, this.words.lessonTitle);
      view.tr.hidden = !matches;
      if (matches) this.shown.push(row);
      // Moves a row only when it is out of place: a steady order touches no node.
      if (view.tr === at) at = at.nextSibling;
      else this.tbody.insertBefore(view.tr, at);
    }
  }

  private make(row: LearnerRow): RowView {
    const tr = document.createElement('tr');
    tr.dataset.learnerId = row.id;
    const nameCell = document.createElement('th');
    nameCell.scope = 'row';
    const name = document.createElement('button');
    name.type = 'button';
    name.className = 'learner-name';
    name.addEventListener('click', () => this.onSelect(row.id));
    nameCell.append(name);
    tr.append(nameCell);
    const cell = (part: string, tag: 'td' | 'code' = 'td') => {
      const td = document.createElement('td');
      td.dataset.part = part;
      tr.append(td);
      if (tag === 'td') return td;
      const inner = document.createElement(tag);
      td.append(inner);
      return inner;
    };
    const cells = {
      place: cell('place'),
      time: cell('time'),
      commands: cell('commands'),
      failed: cell('failed'),
      command: cell('command', 'code'),
      exit: cell('exit'),
      backend: cell('backend'),
      stuck: cell('stuck'),
    };
    const view = { tr, name, cells };
    this.views.set(row.id, view);
    this.tbody.append(tr);
    return view;
  }

  private write(view: RowView, row: LearnerRow): void {
    setText(view.name, row.name);
    setText(view.cells.place, this.words.place(row));
    setText(view.cells.commands, String(row.commands));
    setText(view.cells.failed, String(row.failed));
    setText(view.cells.command, row.lastCommand ?? '—');
    setText(view.cells.exit, this.words.exitCode(row));
    setText(view.cells.backend, this.words.backend(row));
    setText(view.cells.stuck, this.words.stuck(row));
    view.tr.dataset.stuck = row.stuck ?? '';
    view.tr.classList.toggle('is-selected', this.selected === row.id);
    view.name.setAttribute('aria-pressed', String(this.selected === row.id));
  }
}

/** Writes text only when it differs: an unchanged cell costs the frame nothing. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
