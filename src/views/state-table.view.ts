import { select, type Selection as D3Selection } from 'd3-selection';
import type { ContainerStatus } from '../engine/state.js';
import type { Selection } from '../model/sandbox.machine.js';
import { fill } from '../i18n/fill.js';
import type { ContainerRow, ImageRow, LayerRow, StateTables } from './state-table.view-model.js';

export interface StateTableLabels {
  images: { caption: string; repository: string; tag: string; id: string; created: string; size: string; layers: string };
  layers: { caption: string; diffId: string; parent: string; createdBy: string; size: string; usedBy: string };
  containers: { caption: string; id: string; name: string; image: string; command: string; status: string; changes: string };
  status: Record<ContainerStatus, string>;
  /** The select button's accessible name; `{name}` is the row's ID or name. */
  select: string;
}

export interface StateTableOptions {
  labels: StateTableLabels;
  onSelect?: (selection: Selection) => void;
  selected?: Selection | null;
}

interface Column<R> {
  head: string;
  cell: (row: R) => string;
}

interface TableSpec<R extends { key: string }> {
  name: 'images' | 'layers' | 'containers';
  caption: string;
  columns: Column<R>[];
  rows: R[];
  /**
   * What the first cell's button selects, and what it calls the row: the button's own
   * text (the ID) first, so the name holds what is seen (WCAG 2.5.3, label in name).
   */
  selection: (row: R) => { selection: Selection; name: string };
}

/**
 * Renders the state as three real `<table>`s (caption, column headers with scope) into
 * `root`, rows keyed by ID so an update changes only the rows that changed. The first
 * cell of each row is a button: the keyboard way to select what the graph shows.
 */
export function renderStateTable(root: HTMLElement, tables: StateTables, opts: StateTableOptions): void {
  const L = opts.labels;
  const selected = opts.selected ?? null;
  const isSelected = (s: Selection) =>
    selected !== null &&
    selected.kind === s.kind &&
    (s.kind === 'layer' ? s.chainId : s.id) === (selected.kind === 'layer' ? selected.chainId : selected.id);

  const images: TableSpec<ImageRow> = {
    name: 'images',
    caption: L.images.caption,
    columns: [
      { head: L.images.id, cell: (r) => r.shortId },
      { head: L.images.repository, cell: (r) => r.repository },
      { head: L.images.tag, cell: (r) => r.tag },
      { head: L.images.created, cell: (r) => r.created },
      { head: L.images.size, cell: (r) => r.size },
      { head: L.images.layers, cell: (r) => String(r.layers) },
    ],
    rows: tables.images,
    selection: (r) => ({ selection: { kind: 'image', id: r.id }, name: r.tag === '<none>' ? r.shortId : `${r.shortId} ${r.repository}:${r.tag}` }),
  };
  const layers: TableSpec<LayerRow> = {
    name: 'layers',
    caption: L.layers.caption,
    columns: [
      { head: L.layers.diffId, cell: (r) => r.shortDiffId },
      { head: L.layers.parent, cell: (r) => r.parent },
      { head: L.layers.createdBy, cell: (r) => r.createdBy },
      { head: L.layers.size, cell: (r) => r.size },
      { head: L.layers.usedBy, cell: (r) => r.usedBy.join(', ') },
    ],
    rows: tables.layers,
    selection: (r) => ({ selection: { kind: 'layer', chainId: r.chainId }, name: r.shortDiffId }),
  };
  const containers: TableSpec<ContainerRow> = {
    name: 'containers',
    caption: L.containers.caption,
    columns: [
      { head: L.containers.id, cell: (r) => r.shortId },
      { head: L.containers.name, cell: (r) => r.name },
      { head: L.containers.image, cell: (r) => r.image },
      { head: L.containers.command, cell: (r) => r.command },
      { head: L.containers.status, cell: (r) => (r.exitCode === null ? L.status[r.status] : `${L.status[r.status]} (${r.exitCode})`) },
      { head: L.containers.changes, cell: (r) => String(r.changes) },
    ],
    rows: tables.containers,
    selection: (r) => ({ selection: { kind: 'container', id: r.id }, name: `${r.shortId} ${r.name}` }),
  };

  const host = select(root);
  renderTable(host, images, opts.onSelect, isSelected, L.select);
  renderTable(host, layers, opts.onSelect, isSelected, L.select);
  renderTable(host, containers, opts.onSelect, isSelected, L.select);
}

function renderTable<R extends { key: string }>(
  host: D3Selection<HTMLElement, unknown, null, undefined>,
  spec: TableSpec<R>,
  onSelect: ((s: Selection) => void) | undefined,
  isSelected: (s: Selection) => boolean,
  selectLabel: string,
) {
  let table = host.select<HTMLTableElement>(`table.state-table--${spec.name}`);
  if (table.empty()) {
    table = host.append('table').attr('class', `state-table state-table--${spec.name}`);
    table.append('caption');
    table.append('thead').append('tr');
    table.append('tbody');
  }
  table.select('caption').text(spec.caption);
  table
    .select('thead tr')
    .selectAll<HTMLTableCellElement, Column<R>>('th')
    .data(spec.columns)
    .join('th')
    .attr('scope', 'col')
    .text((c) => c.head);

  const rows = table
    .select('tbody')
    .selectAll<HTMLTableRowElement, R>('tr')
    .data(spec.rows, (r) => r.key)
    .join((enter) => {
      const tr = enter.append('tr');
      tr.append('th')
        .attr('scope', 'row')
        .append('button')
        .attr('type', 'button')
        .on('click', (_e: MouseEvent, r) => onSelect?.(spec.selection(r).selection));
      return tr;
    });
  rows.order().classed('is-selected', (r) => isSelected(spec.selection(r).selection));
  rows.each(function (r) {
    const button = this.querySelector('button')!;
    // The button's click reads its own datum: keep it the row's current one.
    select(button).datum(r);
    const [first, ...rest] = spec.columns;
    const text = first ? first.cell(r) : '';
    if (button.textContent !== text) button.textContent = text;
    button.setAttribute('aria-label', fill(selectLabel, { name: spec.selection(r).name }));
    select(this)
      .selectAll<HTMLTableCellElement, Column<R>>('td')
      .data(rest)
      .join('td')
      .each(function (c) {
        const value = c.cell(r);
        if (this.textContent !== value) this.textContent = value;
      });
  });
}
