// The drift report page (served at / by the aggregator): the model list with health, and the report of the selected
// model version. All data comes from the JSON API; the page refreshes every few seconds.
import { fetchDrift, fetchModels, fetchTimeline } from './api.js';
import type { ModelEntry, TimelineResponse } from './api-types.js';
import type { AnyChart } from './charts.js';
import { el, replaceChildren } from './dom.js';
import { clock } from './format.js';
import { modelsTable, selectionHash, type Selection } from './models-view.js';
import { renderReport } from './report-view.js';

const REFRESH_MS = 5_000;

let charts: AnyChart[] = [];
let refreshing: Promise<void> | undefined;
let again = false;

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/** The selection in the location hash (`#model=…&version=…&window=…`), if any. */
function hashSelection(): Partial<Selection> {
  const q = new URLSearchParams(location.hash.replace(/^#/, ''));
  const model = q.get('model') ?? undefined;
  const version = q.get('version') ?? undefined;
  const window = q.get('window') ?? undefined;
  return { ...(model === undefined ? {} : { model }), ...(version === undefined ? {} : { version }), ...(window === undefined ? {} : { window }) };
}

/** The hash's selection completed with defaults: the first model, its newest version. */
function resolveSelection(models: readonly ModelEntry[], wanted: Partial<Selection>): Selection | undefined {
  const model = wanted.model === undefined ? models[0] : models.find((m) => m.name === wanted.model);
  if (!model) return wanted.model !== undefined && wanted.version !== undefined ? { model: wanted.model, version: wanted.version } : undefined;
  const version = wanted.version ?? model.versions.at(-1)?.version;
  if (version === undefined) return undefined;
  return { model: model.name, version, ...(wanted.window === undefined ? {} : { window: wanted.window }) };
}

function select(s: Selection): void {
  const hash = selectionHash(s);
  if (location.hash === hash) void refresh();
  else location.hash = hash;
}

function showError(target: HTMLElement, message: string): void {
  replaceChildren(target, el('p', { class: 'error', attrs: { role: 'alert' } }, message));
}

async function render(): Promise<void> {
  const status = byId('status');
  const modelsTarget = byId('models');
  const reportTarget = byId('report');
  let models: readonly ModelEntry[];
  try {
    models = (await fetchModels()).models;
  } catch (err) {
    showError(modelsTarget, `Cannot load the model list: ${(err as Error).message}`);
    status.textContent = 'aggregator unreachable';
    return;
  }
  const selection = resolveSelection(models, hashSelection());
  replaceChildren(modelsTarget, modelsTable(models, selection, select));
  if (!selection) {
    for (const c of charts.splice(0)) c.destroy();
    replaceChildren(reportTarget);
  } else {
    try {
      const drift = await fetchDrift(selection.model, selection.version);
      const version = drift.versions.find((v) => v.version === selection.version);
      if (!version) throw new Error(`model ${selection.model} has no evaluation for version ${selection.version} yet`);
      const window = version.windows.find((w) => w.window === selection.window) ?? version.windows[0];
      if (!window) throw new Error(`model ${selection.model} version ${selection.version} has no windows`);
      let timeline: TimelineResponse | undefined;
      try {
        timeline = await fetchTimeline(selection.model, selection.version, window.window);
      } catch {
        timeline = undefined; // the report still renders without the history
      }
      const report = renderReport({ drift, version, window, timeline, onWindow: (w) => select({ ...selection, window: w }) });
      for (const c of charts.splice(0)) c.destroy();
      replaceChildren(reportTarget, report.element);
      charts = report.drawCharts();
      document.title = `${selection.model} v${selection.version} · driftwatch`;
    } catch (err) {
      for (const c of charts.splice(0)) c.destroy();
      showError(reportTarget, (err as Error).message);
    }
  }
  status.textContent = `updated ${clock(new Date().toISOString())}`;
  document.body.dataset['ready'] = 'true';
}

/** Renders now; a refresh asked for while one runs is run once after it. */
function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = render().finally(() => {
    refreshing = undefined;
    if (again) {
      again = false;
      void refresh();
    }
  });
  return refreshing;
}

function start(): void {
  const auto = byId('auto-refresh') as HTMLInputElement;
  window.addEventListener('hashchange', () => void refresh());
  setInterval(() => {
    if (auto.checked && document.visibilityState === 'visible') void refresh();
  }, REFRESH_MS);
  void refresh();
}

start();
