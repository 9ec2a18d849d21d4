// The per model-version report, in the spirit of Evidently's: dataset drift summary, per-feature reference vs current
// distributions with the drift score against its threshold and the verdict, prediction drift, data quality, and
// performance, volume and KPIs over time.
import type { DriftResponse, DriftResultJson, FeatureReport, OutputReport, TimelineResponse, VersionReport, WindowReport } from './api-types.js';
import { COLORS, distributionChart, timelineChart, type AnyChart, type TimelineSeries } from './charts.js';
import { el, type Child } from './dom.js';
import { ago, clock, count, num, pct } from './format.js';
import { badge } from './models-view.js';

/** Data-quality ratios above these are highlighted (display only; alerting lives in Prometheus rules). */
export const QUALITY_HIGHLIGHT = { missingIncrease: 0.05, outOfRange: 0.01, newCategory: 0.01 } as const;

const PERFORMANCE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'mae', 'rmse'] as const;
const SLA_OF_METRIC: Readonly<Record<string, { objective: string; direction: 'min' | 'max' }>> = {
  accuracy: { objective: 'min_accuracy', direction: 'min' },
  roc_auc: { objective: 'min_roc_auc', direction: 'min' },
  mae: { objective: 'max_mae', direction: 'max' },
};

export interface RenderedReport {
  readonly element: HTMLElement;
  /** Draws the charts; call once `element` is in the document (Chart.js sizes canvases from their container). */
  drawCharts(): AnyChart[];
}

export interface ReportInput {
  readonly drift: DriftResponse;
  readonly version: VersionReport;
  readonly window: WindowReport;
  readonly timeline: TimelineResponse | undefined;
  readonly onWindow: (window: string) => void;
}

/** The score of a drift result against its threshold, as the verdict reads it. */
export function scoreText(r: DriftResultJson): { score: string; threshold: string } {
  // KS flags drift at p ≤ threshold, the other tests with a p-value at p < threshold (packages/stats DRIFT_TESTS)
  if (r.pValue !== null && r.pValue !== undefined) return { score: `p = ${num(r.pValue)}`, threshold: `p ${r.method === 'ks' ? '≤' : '<'} ${num(r.threshold)}` };
  return { score: num(r.statistic), threshold: `≥ ${num(r.threshold)}` };
}

function verdictBadge(f: { drift: DriftResultJson | null; hasReference: boolean; samples: number }, minSamples: number): HTMLSpanElement {
  if (!f.hasReference) return badge('no reference', 'warn');
  if (!f.drift) return badge(f.samples < minSamples ? `needs ${minSamples} values` : 'not evaluated', 'idle');
  return f.drift.drifted ? badge('drift detected', 'bad') : badge('no drift', 'good');
}

type ChartJob = () => AnyChart | undefined;

function chartBox(jobs: ChartJob[], cls: string, make: (canvas: HTMLCanvasElement) => AnyChart | undefined): HTMLDivElement {
  const canvas = el('canvas');
  jobs.push(() => make(canvas));
  return el('div', { class: `chart ${cls}` }, canvas);
}

function meanShift(f: FeatureReport): string | undefined {
  const r = f.summary?.reference;
  const c = f.summary?.current;
  if (!r || !c) return undefined;
  const rel = r.mean !== 0 ? ` (${c.mean >= r.mean ? '+' : ''}${pct((c.mean - r.mean) / Math.abs(r.mean))})` : '';
  return `mean ${num(r.mean, 4)} → ${num(c.mean, 4)}${rel}`;
}

function extraScores(f: FeatureReport): string | undefined {
  const extra = f.scores.filter((s): s is DriftResultJson => s !== null && s.method !== f.drift?.method);
  if (extra.length === 0) return undefined;
  return extra.map((s) => `${s.method} ${scoreText(s).score}${s.drifted ? ' (drift)' : ''}`).join(' · ');
}

function summaryCards(d: DriftResponse, v: VersionReport, w: WindowReport): HTMLElement {
  const threshold = w.datasetDriftShareThreshold;
  const dataset =
    w.datasetDrift === null
      ? el('div', { class: 'card' }, el('h3', {}, 'Dataset drift'), el('p', { class: 'big idle' }, 'not evaluated'), el('p', {}, `each feature needs ${w.minSamples} values in the window`))
      : el(
          'div',
          { class: `card ${w.datasetDrift ? 'bad' : 'good'}`, attrs: { 'data-testid': 'dataset-drift' } },
          el('h3', {}, 'Dataset drift'),
          el('p', { class: 'big' }, w.datasetDrift ? 'detected' : 'not detected'),
          el('p', {}, `${w.driftedFeatures} of ${w.evaluatedFeatures} features drifted (${pct(w.driftShare)})`, threshold === undefined ? null : `; dataset drift at ≥ ${pct(threshold, 0)}`),
        );
  const perf = w.performance;
  const accuracy = perf.metrics['accuracy'];
  return el(
    'div',
    { class: 'cards' },
    dataset,
    el('div', { class: 'card' }, el('h3', {}, 'Predictions'), el('p', { class: 'big' }, count(w.predictions)), el('p', {}, `in the ${w.window} window · last seen ${ago(v.lastSeen)}`)),
    el(
      'div',
      { class: 'card' },
      el('h3', {}, 'Feedback'),
      el('p', { class: 'big' }, count(perf.feedbackSamples)),
      el('p', {}, accuracy === undefined ? 'labels joined (no metrics below the minimum sample)' : `labels joined · accuracy ${num(accuracy)}`),
    ),
    el(
      'div',
      { class: 'card' },
      el('h3', {}, 'Reference'),
      el('p', { class: 'big' }, v.reference ? `${count(v.reference.rowCount)} rows` : 'none'),
      el('p', {}, v.reference ? `${v.reference.source}, ${new Date(v.reference.createdAt).toLocaleString('en-GB')}` : 'push one with driftwatch reference push'),
    ),
    el('div', { class: 'card' }, el('h3', {}, 'Evaluated'), el('p', { class: 'big' }, clock(d.evaluatedAt)), el('p', {}, ago(d.evaluatedAt))),
  );
}

function driftTable(items: ReadonlyArray<FeatureReport | OutputReport>, w: WindowReport, jobs: ChartJob[], testid: string, important: readonly string[]): HTMLElement {
  const sorted = [...items].sort((a, b) => Number(b.drift?.drifted ?? false) - Number(a.drift?.drifted ?? false));
  const rows = sorted.map((f) => {
    const name = 'feature' in f ? f.feature : f.output;
    const s = f.drift ? scoreText(f.drift) : undefined;
    const details: Child[] = [];
    if ('feature' in f) {
      const shift = meanShift(f);
      if (shift) details.push(el('div', { class: 'detail' }, shift));
      const extra = extraScores(f);
      if (extra) details.push(el('div', { class: 'detail' }, extra));
    }
    const dist = f.distribution ?? null;
    return el(
      'tr',
      { class: f.drift?.drifted ? 'drifted' : '', attrs: { 'data-testid': testid, 'data-name': name, 'data-drifted': String(f.drift?.drifted ?? false) } },
      el('td', { class: 'name' }, el('span', { class: 'feature-name' }, name), important.includes(name) ? el('span', { class: 'tag' }, 'important') : null, ...details),
      el('td', {}, f.kind),
      el('td', {}, dist ? chartBox(jobs, 'mini', (canvas) => distributionChart(canvas, dist, true)) : '—'),
      el('td', {}, f.drift?.method ?? '—'),
      el('td', { class: 'num' }, s?.score ?? '—'),
      el('td', { class: 'num' }, s?.threshold ?? '—'),
      el('td', {}, verdictBadge(f, w.minSamples)),
      el('td', { class: 'num' }, count(f.samples)),
    );
  });
  return el(
    'table',
    { class: 'drift' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'Name'),
        el('th', {}, 'Type'),
        el('th', {}, el('span', { class: 'swatch ref' }), 'reference ', el('span', { class: 'swatch cur' }), 'current'),
        el('th', {}, 'Method'),
        el('th', { class: 'num' }, 'Drift score'),
        el('th', { class: 'num' }, 'Threshold'),
        el('th', {}, 'Verdict'),
        el('th', { class: 'num' }, 'Values'),
      ),
    ),
    el('tbody', {}, ...rows),
  );
}

function qualityCell(value: number | null | undefined, highlight: boolean): HTMLTableCellElement {
  return el('td', { class: `num${highlight ? ' flag' : ''}` }, pct(value, 2));
}

function qualityTable(w: WindowReport): HTMLElement {
  const rows = w.features.map((f) => {
    const missingIncrease = f.missingRatio !== null && f.missingRatio - (f.referenceMissingRatio ?? 0) > QUALITY_HIGHLIGHT.missingIncrease;
    return el(
      'tr',
      { attrs: { 'data-testid': 'quality-row', 'data-name': f.feature } },
      el('td', { class: 'name' }, f.feature),
      el('td', { class: 'num' }, count(f.samples)),
      qualityCell(f.missingRatio, missingIncrease),
      el('td', { class: 'num' }, pct(f.referenceMissingRatio ?? null, 2)),
      qualityCell(f.outOfRangeRatio, (f.outOfRangeRatio ?? 0) > QUALITY_HIGHLIGHT.outOfRange),
      qualityCell(f.newCategoryRatio, (f.newCategoryRatio ?? 0) > QUALITY_HIGHLIGHT.newCategory),
      el('td', { class: f.frozen ? 'flag' : '' }, f.frozen === null ? '—' : f.frozen ? 'frozen' : 'no'),
    );
  });
  return el(
    'table',
    { class: 'quality' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        el('th', {}, 'Feature'),
        el('th', { class: 'num' }, 'Values'),
        el('th', { class: 'num' }, 'Missing'),
        el('th', { class: 'num' }, 'Missing (reference)'),
        el('th', { class: 'num' }, 'Out of reference range'),
        el('th', { class: 'num' }, 'New categories'),
        el('th', {}, 'Frozen'),
      ),
    ),
    el('tbody', {}, ...rows),
  );
}

function performanceTable(w: WindowReport, sla: Readonly<Record<string, number>>): HTMLElement {
  const present = PERFORMANCE_METRICS.filter((m) => w.performance.metrics[m] !== undefined);
  if (present.length === 0) {
    return el('p', { class: 'empty' }, `No performance metrics yet: ${count(w.performance.feedbackSamples)} labels joined in the ${w.window} window (metrics need the minimum feedback sample). Send ground truth with predict.feedback(id, actual).`);
  }
  const rows = present.map((m) => {
    const value = w.performance.metrics[m] as number;
    const objective = SLA_OF_METRIC[m];
    const target = objective ? sla[objective.objective] : undefined;
    const ok = target === undefined || !objective ? undefined : objective.direction === 'min' ? value >= target : value <= target;
    return el(
      'tr',
      { attrs: { 'data-testid': 'performance-row', 'data-name': m } },
      el('td', { class: 'name' }, m),
      el('td', { class: 'num' }, num(value, 4)),
      el('td', { class: 'num' }, target === undefined || !objective ? '—' : `${objective.direction === 'min' ? '≥' : '≤'} ${num(target)}`),
      el('td', {}, ok === undefined ? '' : ok ? badge('meets SLA', 'good') : badge('below SLA', 'bad')),
    );
  });
  return el(
    'table',
    { class: 'performance' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Metric'), el('th', { class: 'num' }, `Value (${w.window})`), el('th', { class: 'num' }, 'SLA'), el('th', {}, ''))),
    el('tbody', {}, ...rows),
  );
}

function timelineSection(t: TimelineResponse | undefined, version: string, jobs: ChartJob[]): Child[] {
  const all = t?.versions.find((v) => v.version === version)?.points ?? [];
  // the point still being filled would look like a drop in volume: draw it only when it is all there is
  const complete = all.filter((p) => p.complete !== false);
  const points = complete.length > 0 ? complete : all;
  if (!t || points.length === 0) return [el('p', { class: 'empty' }, 'No data over time yet.')];
  const out: Child[] = [];
  const classification = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'].filter((m) => points.some((p) => p.metrics[m] !== undefined));
  if (classification.length > 0) {
    const series: TimelineSeries[] = classification.map((m) => ({ label: m, values: points.map((p) => p.metrics[m] ?? null) }));
    for (const [objective, label] of [
      ['min_accuracy', 'SLA min accuracy'],
      ['min_roc_auc', 'SLA min ROC AUC'],
    ] as const) {
      const target = t.sla[objective];
      if (target !== undefined) series.push({ label, values: points.map(() => target), dashed: true, color: COLORS.sla });
    }
    out.push(el('h3', {}, `Performance from feedback (per ${t.versions.find((v) => v.version === version)?.stepSeconds ?? 0} s, at least ${t.minFeedbackSamples} labels a point)`));
    out.push(chartBox(jobs, 'wide', (canvas) => timelineChart(canvas, points, series, { min: 0, max: 1, format: (v) => num(v, 3) })));
  }
  const regression = ['mae', 'rmse'].filter((m) => points.some((p) => p.metrics[m] !== undefined));
  if (regression.length > 0) {
    out.push(el('h3', {}, 'Regression error from feedback'));
    out.push(chartBox(jobs, 'wide', (canvas) => timelineChart(canvas, points, regression.map((m) => ({ label: m, values: points.map((p) => p.metrics[m] ?? null) })))));
  }
  out.push(el('h3', {}, 'Volume'));
  out.push(
    chartBox(jobs, 'wide short', (canvas) =>
      timelineChart(canvas, points, [
        { label: 'predictions', values: points.map((p) => p.predictions) },
        { label: 'labels joined', values: points.map((p) => p.feedbackSamples) },
      ], { min: 0, format: (v) => count(v) }),
    ),
  );
  out.push(el('h3', {}, 'Business KPIs'));
  if (t.kpis.length === 0) out.push(el('p', { class: 'empty' }, 'No KPIs recorded (predict.kpi(name, value) in the SDK).'));
  else {
    out.push(
      chartBox(jobs, 'wide', (canvas) =>
        timelineChart(
          canvas,
          points,
          t.kpis.map((k) => ({ label: `${k} (mean)`, values: points.map((p) => p.kpis[k]?.mean ?? null) })),
        ),
      ),
    );
  }
  return out;
}

function kpiTable(d: DriftResponse, window: string): HTMLElement | null {
  const kpis = d.kpis.filter((k) => k.window === window);
  if (kpis.length === 0) return null;
  return el(
    'table',
    { class: 'kpis' },
    el('thead', {}, el('tr', {}, el('th', {}, 'KPI'), el('th', { class: 'num' }, 'Events'), el('th', { class: 'num' }, 'Mean'))),
    el('tbody', {}, ...kpis.map((k) => el('tr', {}, el('td', { class: 'name' }, k.kpi), el('td', { class: 'num' }, count(k.events)), el('td', { class: 'num' }, num(k.mean, 4))))),
  );
}

/** Renders the report of one model version in one window. */
export function renderReport(input: ReportInput): RenderedReport {
  const { drift: d, version: v, window: w } = input;
  const jobs: ChartJob[] = [];
  const windowSelect = el(
    'select',
    { attrs: { 'aria-label': 'window' }, onChange: (e) => input.onWindow((e.target as HTMLSelectElement).value) },
    ...v.windows.map((x) => {
      const option = el('option', { attrs: { value: x.window } }, x.window);
      option.selected = x.window === w.window;
      return option;
    }),
  );
  const element = el(
    'section',
    { class: 'report', attrs: { 'data-testid': 'report', 'data-model': d.model, 'data-version': v.version, 'data-window': w.window } },
    el('div', { class: 'report-head' }, el('h2', {}, el('span', { class: 'model-name' }, d.model), ' · version ', el('span', { class: 'version-name' }, v.version)), el('label', {}, 'window ', windowSelect)),
    summaryCards(d, v, w),
    el('h2', {}, 'Data drift'),
    el('p', { class: 'hint' }, 'Each feature of the window against the reference. The verdict comes from the drift method shown, against its threshold.'),
    driftTable(w.features, w, jobs, 'drift-row', d.important),
    el('h2', {}, 'Prediction drift'),
    w.outputs.length === 0 ? el('p', { class: 'empty' }, 'No model outputs recorded.') : driftTable(w.outputs, w, jobs, 'output-row', []),
    el('h2', {}, 'Data quality'),
    qualityTable(w),
    el('h2', {}, 'Performance'),
    performanceTable(w, d.sla),
    kpiTable(d, w.window),
    el('h2', {}, 'Over time'),
    ...timelineSection(input.timeline, v.version, jobs),
  );
  return {
    element,
    drawCharts: () => jobs.map((job) => job()).filter((c): c is AnyChart => c !== undefined),
  };
}
