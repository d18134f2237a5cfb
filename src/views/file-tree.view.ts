import { select } from 'd3-selection';
import { fill } from '../i18n/fill.js';
import { humanSize } from './docker-format.js';
import type { EntryChange, FileTree, FileTreeEntry } from './file-tree.view-model.js';

export interface FileTreeLabels {
  /** `{efficiency}` (percent), `{wasted}` (Docker size), `{total}`. */
  summary: string;
  change: Record<EntryChange, string>;
  /** `{n}`: the layer a visible version comes from (1-based, base first); `{id}` its short ID. */
  fromLayer: string;
  /** The accessible name of the tree. */
  tree: string;
}

export interface FileTreeOptions {
  labels: FileTreeLabels;
}

/**
 * Renders a `FileTree` as an ARIA tree (`role=tree`, `treeitem` with `aria-level`):
 * one row per path, indented by depth, coloured by what the top layer did to it,
 * with the layer its visible version comes from — dive's view. Rows are keyed by path.
 */
export function renderFileTree(root: HTMLElement, tree: FileTree, opts: FileTreeOptions): void {
  const L = opts.labels;
  const host = select(root).classed('file-tree', true);
  let summary = host.select<HTMLParagraphElement>('p.file-tree__summary');
  if (summary.empty()) summary = host.append('p').attr('class', 'file-tree__summary');
  summary.text(
    fill(L.summary, {
      efficiency: (Math.floor(tree.efficiency * 1000) / 10).toFixed(1),
      wasted: humanSize(tree.wastedBytes),
      total: humanSize(tree.totalBytes),
    }),
  );
  let list = host.select<HTMLUListElement>('ul.file-tree__list');
  if (list.empty()) list = host.append('ul').attr('class', 'file-tree__list').attr('role', 'tree');
  list.attr('aria-label', L.tree);

  const layerText = (e: FileTreeEntry) => fill(L.fromLayer, { n: e.layerIndex + 1, id: tree.layers[e.layerIndex]?.shortId ?? '' });
  const rows = list
    .selectAll<HTMLLIElement, FileTreeEntry>('li')
    .data(tree.entries, (e) => e.key)
    .join((enter) => {
      const li = enter.append('li').attr('role', 'treeitem');
      li.append('span').attr('class', 'file-tree__name');
      li.append('span').attr('class', 'file-tree__size');
      li.append('span').attr('class', 'file-tree__layer');
      li.append('span').attr('class', 'file-tree__change');
      return li;
    });
  rows
    .order()
    .attr('class', (e) => `file-tree__entry file-tree__entry--${e.kind}${e.change ? ` file-tree__entry--${e.change}` : ''}`)
    .attr('aria-level', (e) => e.depth + 1)
    .style('--depth', (e) => String(e.depth));
  rows.each(function (e) {
    const set = (selector: string, text: string) => {
      const el = this.querySelector(selector)!;
      if (el.textContent !== text) el.textContent = text;
    };
    set('.file-tree__name', e.kind === 'dir' ? `${e.name}/` : e.name);
    set('.file-tree__size', humanSize(e.size));
    set('.file-tree__layer', layerText(e));
    set('.file-tree__change', e.change ? L.change[e.change] : '');
  });
}
