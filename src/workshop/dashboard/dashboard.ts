import { format, readLabels, type Labels } from '../../client/labels.js';
import type { PictureElement } from '../../components/picture.element.js';
import { toRow, type LearnerRow, type SortKey, type WireWorkshop } from './class-rows.js';
import { ClassSocket, liveUrl, type LiveMessage, type LiveStatus } from './class-socket.js';
import { confirmAction } from './confirm-dialog.js';
import { ApiFailure, DashboardApi } from './dashboard-api.js';
import { downloadBlob } from './download.js';
import { forgetInstructorAccess, saveInstructorAccess, takeInstructorAccess } from './instructor-link.js';
import { wireLargeType } from './large-type.js';
import { LearnerTable, type RowWords } from './learner-table.js';
import { StuckSettingsForm } from './stuck-settings-form.js';
import type { LessonCatalog } from './lesson-catalog.js';
import { toStepHistogram, type HistogramBin } from './step-histogram.view-model.js';
import { renderStepHistogram } from './step-histogram.view.js';
import { WatchPanel } from './watch-panel.js';

/**
 * The instructor's live dashboard (issue 14): reads the instructor link from the address's
 * fragment, draws the class from `GET /class`, then keeps it live over the dashboard socket.
 * Every string a learner controls reaches the page as text (the table, the panel, the log).
 */
export async function startDashboard(root: HTMLElement): Promise<void> {
  const labels: Labels = readLabels(root);
  const catalog = JSON.parse(root.dataset.lessons ?? '{}') as LessonCatalog;
  const locale = root.dataset.locale ?? 'en';
  const say = (key: string, params: Record<string, string | number> = {}) => format(labels, key, params);
  const part = <E extends Element = HTMLElement>(name: string) => root.querySelector<E>(`[data-${name}]`)!;

  wireLargeType(part<HTMLButtonElement>('large-type'), document.documentElement);
  const status = part('status');
  const notice = part('notice');
  const tell = (text: string) => (notice.textContent = text);
  const failed = (error: unknown) => tell(say('workshop.dashboard.failed', { reason: error instanceof ApiFailure ? error.code : String(error) }));

  const access = takeInstructorAccess(location, sessionStorage, history);
  if (!access) {
    part('no-access').hidden = false;
    return;
  }
  const api = new DashboardApi(access);
  let workshop: WireWorkshop | null = null;

  const lessonTitle = (lesson: string | null) => (lesson === null ? '' : (catalog[lesson]?.title ?? lesson));
  const words: RowWords = {
    lessonTitle,
    place: (row) => {
      if (row.lesson === null) return say('workshop.dashboard.notStarted');
      const total = catalog[row.lesson]?.steps.length;
      // A lesson page reports its steps' count once all are done (src/components/step-event.ts).
      if (total !== undefined && (row.step ?? 0) >= total) return say('workshop.dashboard.placeDone', { lesson: lessonTitle(row.lesson), total });
      return say('workshop.dashboard.place', { lesson: lessonTitle(row.lesson), step: (row.step ?? 0) + 1, total: total ?? '?' });
    },
    backend: (row) => say(row.backend === 'sandbox' ? 'workshop.dashboard.backend.sandbox' : 'workshop.dashboard.backend.simulator'),
    stuck: (row) => (row.stuck ? say(`workshop.dashboard.stuck.${row.stuck}`) : '—'),
    exitCode: (row) => (row.lastExitCode === null ? '—' : String(row.lastExitCode)),
  };

  // Histogram and summary: drawn with the table's frame, from the rows it just wrote.
  const histogramSvg = part<SVGSVGElement>('histogram');
  const histogramSummary = part('histogram-summary');
  const describeBin = (bin: HistogramBin) =>
    bin.lesson === null
      ? say('workshop.dashboard.histogram.start', { count: bin.count })
      : say('workshop.dashboard.histogram.bin', { lesson: lessonTitle(bin.lesson), step: (bin.step ?? 0) + 1, count: bin.count, stuck: bin.stuck });
  const onRendered = (all: readonly LearnerRow[], shown: readonly LearnerRow[]) => {
    const histogram = toStepHistogram(all, workshop?.lessons ?? [], catalog);
    renderStepHistogram(histogramSvg, histogram, describeBin);
    const busiest = histogram.bins.filter((b) => b.count > 0).sort((a, b) => b.count - a.count);
    histogramSummary.textContent = busiest.length ? busiest.slice(0, 5).map(describeBin).join(' · ') : say('workshop.dashboard.empty');
    part('summary').textContent = say('workshop.dashboard.summary', {
      learners: all.length,
      shown: shown.length,
      stuck: all.filter((r) => r.stuck).length,
      simulator: all.filter((r) => r.backend === 'simulator').length,
    });
    part('empty').hidden = all.length > 0;
    refreshPanel();
  };

  const lessonOrder = () => new Map((workshop?.lessons ?? []).map((l, i) => [l, i] as const));
  const table = new LearnerTable(part<HTMLTableSectionElement>('rows'), words, lessonOrder, (id) => select(id), onRendered);
  setInterval(() => table.tick(table.clock()), 1000);

  // Sorting: a header's button; pressing the sorted column again reverses it.
  let sort: { key: SortKey; descending: boolean } = { key: 'place', descending: false };
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-sort]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.sort as SortKey;
      sort = { key, descending: sort.key === key ? !sort.descending : false };
      for (const th of root.querySelectorAll<HTMLElement>('th[aria-sort]')) th.setAttribute('aria-sort', 'none');
      button.closest('th')!.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      table.sortBy(sort);
    });
  }
  const filterText = part<HTMLInputElement>('filter-text');
  const stuckOnly = part<HTMLInputElement>('filter-stuck');
  const refilter = () => table.filterBy({ text: filterText.value, stuckOnly: stuckOnly.checked });
  filterText.addEventListener('input', refilter);
  stuckOnly.addEventListener('change', refilter);

  // The workshop's own controls.
  const pause = part<HTMLButtonElement>('pause');
  const sharedRegistry = part<HTMLButtonElement>('shared-registry');
  const closeButton = part<HTMLButtonElement>('close');
  const stuckForm = new StuckSettingsForm(part<HTMLFormElement>('stuck-settings'));
  const showWorkshop = (next: WireWorkshop) => {
    const lessonsChanged = workshop?.lessons.join() !== next.lessons.join();
    workshop = next;
    part('title').textContent = next.title;
    part('join-code').textContent = next.joinCode ?? '—';
    const closed = next.closedAt !== null && next.closedAt !== undefined;
    part('state').textContent = say(
      closed ? 'workshop.dashboard.state.closed' : next.joinPaused ? 'workshop.dashboard.state.paused' : 'workshop.dashboard.state.open',
    );
    pause.setAttribute('aria-pressed', String(Boolean(next.joinPaused)));
    pause.disabled = closed;
    sharedRegistry.setAttribute('aria-pressed', String(Boolean(next.sharedRegistry)));
    // A closed workshop's class namespace is shut whatever the switch says (the server refuses it).
    sharedRegistry.disabled = closed;
    closeButton.disabled = closed;
    stuckForm.show(next.stuckSettings);
    if (lessonsChanged) table.sortBy(sort);
  };

  // The watched learner: their row opens the panel, which watches them over the socket.
  const panel = part('learner-panel');
  const watch = new WatchPanel(root.querySelector<PictureElement>('ll-picture')!, part('output'));
  let selected: string | null = null;
  function refreshPanel() {
    const row = selected ? table.get(selected) : undefined;
    if (selected && !row) return select(null);
    if (row) part('learner-title').textContent = row.name;
  }
  function select(learnerId: string | null) {
    if (learnerId === selected) return;
    selected = learnerId;
    table.select(learnerId);
    socket.watch(learnerId);
    panel.hidden = learnerId === null;
    if (learnerId) {
      watch.begin();
      refreshPanel();
      part('learner-title').focus();
    } else watch.end();
  }
  part('unwatch').addEventListener('click', () => {
    const was = selected;
    select(null);
    root.querySelector<HTMLButtonElement>(`tr[data-learner-id="${CSS.escape(was ?? '')}"] button`)?.focus();
  });

  const onLive = (message: LiveMessage) => {
    switch (message.type) {
      case 'class':
        if (message.now !== undefined) {
          const offset = message.now - Date.now();
          table.clock = () => Date.now() + offset;
        }
        showWorkshop(message.workshop);
        table.replaceAll(message.learners.map(toRow));
        break;
      case 'learners':
        table.upsert(message.learners.map(toRow));
        break;
      case 'workshop':
        showWorkshop(message.workshop);
        break;
      case 'watch':
        if (message.learnerId === selected) watch.state(message.state);
        break;
      case 'output':
        if (message.learnerId === selected) watch.output(message.command, message.output, message.exitCode);
        break;
    }
  };
  const onStatus = (live: LiveStatus) => {
    status.dataset.live = live;
    status.textContent = say(`workshop.dashboard.live.${live}`);
  };
  const socket = new ClassSocket(liveUrl(location, api.workshopId), () => api.secret, onLive, onStatus);

  // The table at once from the API (this also tells a wrong link before the socket would), then live.
  try {
    const first = await api.classOf();
    onLive({ type: 'class', ...first });
  } catch (error) {
    if (error instanceof ApiFailure && (error.code === 'WRONG_SECRET' || error.code === 'NO_SUCH_WORKSHOP')) {
      part('no-access').hidden = false;
      part('board').hidden = true;
      tell(say(`workshop.dashboard.refused.${error.code}`));
      return;
    }
    failed(error);
  }
  part('board').hidden = false;
  socket.start();

  // Hints: to everyone from the toolbar, to the watched learner from the panel.
  const wireHint = (form: HTMLFormElement, to: () => string | undefined) =>
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const field = form.querySelector('textarea')!;
      const text = field.value.trim();
      if (!text) return;
      const learnerId = to();
      api.sendHint(text, learnerId).then(() => {
        field.value = '';
        tell(learnerId ? say('workshop.dashboard.hint.sentOne', { name: table.get(learnerId)?.name ?? '' }) : say('workshop.dashboard.hint.sentAll'));
      }, failed);
    });
  wireHint(part<HTMLFormElement>('hint-all'), () => undefined);
  wireHint(part<HTMLFormElement>('hint-one'), () => selected ?? undefined);

  const dialog = part<HTMLDialogElement>('confirm');
  part('reset').addEventListener('click', async () => {
    const row = selected ? table.get(selected) : undefined;
    if (!row || !(await confirmAction(dialog, say('workshop.dashboard.reset.confirm', { name: row.name })))) return;
    api
      .resetSandbox(row.id)
      .then(
        ({ sandbox }) =>
          tell(say(sandbox === 'session' ? 'workshop.dashboard.reset.doneSandbox' : 'workshop.dashboard.reset.doneSimulator', { name: row.name })),
        failed,
      );
  });

  pause.addEventListener('click', () => {
    api.update({ joinPaused: pause.getAttribute('aria-pressed') !== 'true' }).then((next) => {
      showWorkshop(next);
      tell(say(next.joinPaused ? 'workshop.dashboard.paused' : 'workshop.dashboard.resumed'));
    }, failed);
  });
  sharedRegistry.addEventListener('click', () => {
    api.update({ sharedRegistry: sharedRegistry.getAttribute('aria-pressed') !== 'true' }).then((next) => {
      showWorkshop(next);
      tell(say(next.sharedRegistry ? 'workshop.dashboard.sharedRegistry.opened' : 'workshop.dashboard.sharedRegistry.closed'));
    }, failed);
  });
  closeButton.addEventListener('click', async () => {
    if (!(await confirmAction(dialog, say('workshop.dashboard.close.confirm')))) return;
    api.update({ closed: true }).then((next) => {
      showWorkshop(next);
      tell(say('workshop.dashboard.closed'));
    }, failed);
  });

  // Who is flagged stuck: the server re-flags the class and the socket brings the rows that changed.
  stuckForm.onSubmit((stuckSettings) => {
    api.update({ stuckSettings }).then((next) => {
      showWorkshop(next);
      tell(say('workshop.dashboard.stuckSettings.saved'));
    }, failed);
  });

  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-export]')) {
    button.addEventListener('click', () => {
      api.exportFile(button.dataset.export as 'csv' | 'json').then(({ blob, filename }) => {
        downloadBlob(blob, filename);
        tell(say('workshop.dashboard.exported', { file: filename }));
      }, failed);
    });
  }

  part('revoke').addEventListener('click', async () => {
    if (!(await confirmAction(dialog, say('workshop.dashboard.revoke.confirm')))) return;
    api.revoke().then((secret) => {
      saveInstructorAccess(sessionStorage, { workshopId: api.workshopId, secret });
      const link = part<HTMLInputElement>('new-link');
      link.value = `${location.origin}/${locale}/workshop/dashboard/#workshop=${api.workshopId}&secret=${secret}`;
      part('new-link-box').hidden = false;
      link.focus();
      link.select();
      tell(say('workshop.dashboard.revoked'));
      socket.restart();
    }, failed);
  });

  part('delete').addEventListener('click', async () => {
    const title = workshop?.title ?? '';
    const typed = { label: say('workshop.dashboard.delete.type', { title }), expected: title };
    if (!(await confirmAction(dialog, say('workshop.dashboard.delete.confirm'), typed))) return;
    api.remove().then(() => {
      socket.stop();
      forgetInstructorAccess(sessionStorage);
      part('board').hidden = true;
      tell(say('workshop.dashboard.deleted'));
    }, failed);
  });
}
