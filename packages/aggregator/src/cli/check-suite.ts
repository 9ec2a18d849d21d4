/**
 * The tests of `driftwatch check` (the Evidently TestSuite equivalent), as pure functions of a {@link CheckSubject}:
 * what a running aggregator reports for a model version (check-online.ts), or what two data files give with the
 * same statistics (check-offline.ts).
 */

/** Test categories; `--fail-on` names the ones whose failures fail the run. */
export const CHECK_CATEGORIES = ['drift', 'missing', 'new-category', 'out-of-range', 'performance'] as const;
export type CheckCategory = (typeof CHECK_CATEGORIES)[number];

export interface CheckDriftResult {
  readonly method: string;
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
}

/** One feature (or output) of the subject. Ratios are null when not measured (too few values, no reference). */
export interface CheckFeature {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical';
  readonly samples: number;
  readonly hasReference: boolean;
  readonly drift: CheckDriftResult | null;
  readonly missingRatio: number | null;
  readonly referenceMissingRatio: number | null;
  readonly newCategoryRatio: number | null;
  readonly outOfRangeRatio: number | null;
}

export interface CheckSubject {
  readonly model: string;
  readonly version: string;
  readonly window: string | null;
  /** where the numbers come from, e.g. `aggregator http://127.0.0.1:9464` or `files ref.json vs current.csv` */
  readonly source: string;
  readonly evaluatedAt: string;
  /** values a feature needs for a verdict */
  readonly minSamples: number;
  readonly features: readonly CheckFeature[];
  readonly outputs: readonly CheckFeature[];
  readonly dataset: { readonly drifted: boolean | null; readonly share: number | null; readonly threshold: number; readonly evaluated: number; readonly driftedCount: number };
  readonly performance: { readonly feedbackSamples: number; readonly metrics: Readonly<Record<string, number>> };
  /** SLA objectives of the model (min_accuracy, min_roc_auc, max_mae, max_drift_share, …) */
  readonly sla: Readonly<Record<string, number>>;
}

export interface CheckThresholds {
  /** missing ratio may exceed the reference's by at most this much (absolute) */
  readonly maxMissingIncrease: number;
  readonly maxNewCategoryRatio: number;
  readonly maxOutOfRangeRatio: number;
  /** overrides of the SLA objectives */
  readonly minAccuracy?: number;
  readonly minRocAuc?: number;
  readonly maxMae?: number;
  readonly maxDriftShare?: number;
}

export const DEFAULT_CHECK_THRESHOLDS: CheckThresholds = { maxMissingIncrease: 0.05, maxNewCategoryRatio: 0.01, maxOutOfRangeRatio: 0.01 };

/** `pass`; `fail` (in a --fail-on category: fails the run); `warn` (failed, category not in --fail-on); `skip` (not measurable). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckTest {
  readonly name: string;
  readonly category: CheckCategory;
  readonly status: CheckStatus;
  readonly feature: string | null;
  readonly value: number | null;
  readonly threshold: number | null;
  readonly detail: string;
}

export interface CheckResult {
  readonly format: 'driftwatch.check/v1';
  readonly model: string;
  readonly version: string;
  readonly window: string | null;
  readonly source: string;
  readonly evaluatedAt: string;
  readonly passed: boolean;
  readonly failOn: readonly CheckCategory[];
  readonly summary: { readonly tests: number; readonly passed: number; readonly failed: number; readonly warnings: number; readonly skipped: number };
  readonly tests: readonly CheckTest[];
}

/** A check that cannot be run as asked (e.g. performance without any threshold). */
export class CheckConfigError extends Error {
  override name = 'CheckConfigError';
}

const fmt = (x: number | null | undefined): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return Math.abs(x) >= 0.001 || x === 0 ? String(Number(x.toPrecision(4))) : x.toExponential(2);
};
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

type Outcome = Omit<CheckTest, 'status'> & { readonly ok: boolean | null };

function driftTest(f: CheckFeature, minSamples: number, what: string): Outcome {
  const base = { name: `${what}: ${f.name}`, category: 'drift' as const, feature: f.name };
  if (!f.hasReference) return { ...base, ok: null, value: null, threshold: null, detail: 'no reference for this name' };
  if (!f.drift) return { ...base, ok: null, value: null, threshold: null, detail: `no verdict: ${f.samples} values, ${minSamples} needed` };
  const d = f.drift;
  const value = d.pValue ?? d.statistic;
  const detail =
    d.pValue !== null
      ? `${d.method} p-value ${fmt(d.pValue)} ${d.drifted ? (d.method === 'ks' ? '≤' : '<') : d.method === 'ks' ? '>' : '≥'} ${fmt(d.threshold)}` // KS: drift at p ≤ threshold
      : `${d.method} ${fmt(d.statistic)} ${d.drifted ? '≥' : '<'} ${fmt(d.threshold)}`;
  return { ...base, ok: !d.drifted, value, threshold: d.threshold, detail: `${d.drifted ? 'drift detected' : 'no drift'}: ${detail}` };
}

function driftTests(s: CheckSubject, t: CheckThresholds): Outcome[] {
  const out: Outcome[] = [];
  const evaluated = s.features.filter((f) => f.drift !== null).length;
  out.push({
    name: 'drift: enough data for verdicts',
    category: 'drift',
    feature: null,
    ok: s.features.length > 0 && evaluated > 0,
    value: evaluated,
    threshold: 1,
    detail: s.features.length === 0 ? 'no features' : `${evaluated} of ${s.features.length} features have a drift verdict (each needs ${s.minSamples} values)`,
  });
  for (const f of s.features) out.push(driftTest(f, s.minSamples, 'drift'));
  const maxShare = t.maxDriftShare ?? s.sla['max_drift_share'];
  if (s.dataset.share === null) {
    out.push({ name: 'drift: dataset', category: 'drift', feature: null, ok: null, value: null, threshold: maxShare ?? s.dataset.threshold, detail: 'no feature evaluated' });
  } else if (maxShare !== undefined) {
    const ok = s.dataset.share <= maxShare;
    out.push({ name: 'drift: dataset', category: 'drift', feature: null, ok, value: s.dataset.share, threshold: maxShare, detail: `${s.dataset.driftedCount} of ${s.dataset.evaluated} features drifted (${pct(s.dataset.share)} ${ok ? '≤' : '>'} ${pct(maxShare)})` });
  } else {
    const ok = s.dataset.drifted !== true;
    out.push({
      name: 'drift: dataset',
      category: 'drift',
      feature: null,
      ok,
      value: s.dataset.share,
      threshold: s.dataset.threshold,
      detail: `${s.dataset.driftedCount} of ${s.dataset.evaluated} features drifted (${pct(s.dataset.share)}; dataset drift at ≥ ${pct(s.dataset.threshold)})`,
    });
  }
  for (const o of s.outputs) out.push(driftTest(o, s.minSamples, 'prediction drift'));
  return out;
}

function missingTests(s: CheckSubject, t: CheckThresholds): Outcome[] {
  return s.features.map((f) => {
    const base = { name: `missing: ${f.name}`, category: 'missing' as const, feature: f.name };
    if (f.missingRatio === null) return { ...base, ok: null, value: null, threshold: null, detail: `not measured: ${f.samples} values, ${s.minSamples} needed` };
    const limit = (f.referenceMissingRatio ?? 0) + t.maxMissingIncrease;
    const ok = f.missingRatio <= limit;
    return { ...base, ok, value: f.missingRatio, threshold: limit, detail: `missing ${pct(f.missingRatio)} ${ok ? '≤' : '>'} ${pct(limit)} (reference ${pct(f.referenceMissingRatio ?? 0)} + ${pct(t.maxMissingIncrease)})` };
  });
}

function ratioTests(s: CheckSubject, category: 'new-category' | 'out-of-range', limit: number): Outcome[] {
  const kind = category === 'new-category' ? 'categorical' : 'numeric';
  const what = category === 'new-category' ? 'values in categories the reference never had' : 'values outside the reference range';
  return s.features
    .filter((f) => f.kind === kind)
    .map((f) => {
      const value = category === 'new-category' ? f.newCategoryRatio : f.outOfRangeRatio;
      const base = { name: `${category}: ${f.name}`, category, feature: f.name };
      if (value === null) return { ...base, ok: null, value: null, threshold: limit, detail: f.hasReference ? `not measured: ${f.samples} values, ${s.minSamples} needed` : 'no reference for this name' };
      const ok = value <= limit;
      return { ...base, ok, value, threshold: limit, detail: `${pct(value)} of ${what} (${ok ? '≤' : '>'} ${pct(limit)})` };
    });
}

const PERFORMANCE_OBJECTIVES = [
  { metric: 'accuracy', objective: 'min_accuracy', option: 'minAccuracy', direction: 'min' },
  { metric: 'roc_auc', objective: 'min_roc_auc', option: 'minRocAuc', direction: 'min' },
  { metric: 'mae', objective: 'max_mae', option: 'maxMae', direction: 'max' },
] as const;

function performanceTests(s: CheckSubject, t: CheckThresholds, required: boolean): Outcome[] {
  const out: Outcome[] = [];
  const targets = PERFORMANCE_OBJECTIVES.map((o) => ({ ...o, target: t[o.option] ?? s.sla[o.objective] })).filter((o) => o.target !== undefined);
  if (targets.length === 0) {
    if (required) throw new CheckConfigError('--fail-on performance needs a threshold: --min-accuracy, --min-roc-auc or --max-mae, or an sla in the model config');
    return out;
  }
  for (const o of targets) {
    const target = o.target as number;
    const value = s.performance.metrics[o.metric];
    const name = `performance: ${o.metric} ${o.direction === 'min' ? '≥' : '≤'} ${fmt(target)}`;
    if (value === undefined) {
      // a gate without evidence must not pass
      out.push({ name, category: 'performance', feature: null, ok: false, value: null, threshold: target, detail: `${o.metric} not measured: ${s.performance.feedbackSamples} labels joined, too few for metrics` });
      continue;
    }
    const ok = o.direction === 'min' ? value >= target : value <= target;
    out.push({ name, category: 'performance', feature: null, ok, value, threshold: target, detail: `${o.metric} ${fmt(value)} ${ok ? (o.direction === 'min' ? '≥' : '≤') : o.direction === 'min' ? '<' : '>'} ${fmt(target)} (from ${s.performance.feedbackSamples} labels)` });
  }
  return out;
}

/** Parses `--fail-on drift,missing,performance` (unknown names throw CheckConfigError naming the valid ones). */
export function parseFailOn(text: string): CheckCategory[] {
  const out: CheckCategory[] = [];
  for (const part of text.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    if (!(CHECK_CATEGORIES as readonly string[]).includes(name)) throw new CheckConfigError(`--fail-on: unknown test ${JSON.stringify(name)} (expected ${CHECK_CATEGORIES.join(', ')})`);
    if (!out.includes(name as CheckCategory)) out.push(name as CheckCategory);
  }
  if (out.length === 0) throw new CheckConfigError(`--fail-on: no test named (expected ${CHECK_CATEGORIES.join(', ')})`);
  return out;
}

/**
 * Runs every test on the subject. A failed test fails the run when its category is in `failOn`, and is a warning
 * otherwise; tests that cannot be measured (no reference, too few values) are skipped — except that the drift gate
 * fails when no feature has a verdict, and a performance gate fails when its metric is not measured.
 */
export function runCheckSuite(s: CheckSubject, failOn: readonly CheckCategory[], t: CheckThresholds = DEFAULT_CHECK_THRESHOLDS): CheckResult {
  const outcomes = [
    ...driftTests(s, t),
    ...missingTests(s, t),
    ...ratioTests(s, 'new-category', t.maxNewCategoryRatio),
    ...ratioTests(s, 'out-of-range', t.maxOutOfRangeRatio),
    ...performanceTests(s, t, failOn.includes('performance')),
  ];
  const tests: CheckTest[] = outcomes.map(({ ok, ...test }) => ({ ...test, status: ok === null ? 'skip' : ok ? 'pass' : failOn.includes(test.category) ? 'fail' : 'warn' }));
  const count = (status: CheckStatus): number => tests.filter((x) => x.status === status).length;
  return {
    format: 'driftwatch.check/v1',
    model: s.model,
    version: s.version,
    window: s.window,
    source: s.source,
    evaluatedAt: s.evaluatedAt,
    passed: count('fail') === 0,
    failOn: [...failOn],
    summary: { tests: tests.length, passed: count('pass'), failed: count('fail'), warnings: count('warn'), skipped: count('skip') },
    tests,
  };
}
