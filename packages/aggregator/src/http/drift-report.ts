import { rebinHistogram } from '@driftwatch/stats';
import type { DriftResult, FeatureProfile, FeatureSketch } from '@driftwatch/stats';
import { currentSketch } from '../engine/evaluate.js';
import type { EvaluationResult, FeatureEvaluation, OutputEvaluation, WindowEvaluation } from '../engine/evaluation-types.js';
import { CLASS_OUTPUT } from '../ingest/conventions.js';
import type { HistogramView } from '../sketch/histogram-view.js';
import { referenceFeature, referenceSketch, type FeatureSeries, type ModelState, type VersionState } from '../state/aggregator-state.js';

/** Bins of the numeric distributions in the drift report. */
export const DISTRIBUTION_BINS = 20;
/** Categories listed individually in a categorical distribution (the rest are summed as `other`). */
export const DISTRIBUTION_CATEGORIES = 30;

export type Distribution =
  | { kind: 'numeric'; edges: number[]; reference: number[] | null; current: number[] | null }
  | { kind: 'categorical'; categories: Array<{ key: string; reference: number | null; current: number | null }> };

function result(r: DriftResult | undefined): unknown {
  return r ? { method: r.method, statistic: r.statistic, pValue: r.pValue ?? null, threshold: r.threshold, drifted: r.drifted } : null;
}

function shares(counts: number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Reference and current distributions of a feature on common ground, for charts: numeric — both histograms rebinned
 * (stats `rebinHistogram`, linear within buckets) onto the same 20 equal-width bins over the union of their ranges,
 * as shares; categorical — each key's share in the reference and in the window, the 30 largest by reference share
 * (then by current share), the rest summed under `other`.
 */
export function distributionOf(reference: FeatureSketch | undefined, current: FeatureSketch | undefined): Distribution | null {
  const kind = reference?.kind ?? current?.kind;
  if (!kind) return null;
  if (kind === 'numeric') {
    const ref = reference?.kind === 'numeric' && reference.histogram.count > 0 ? reference.histogram : undefined;
    const cur = current?.kind === 'numeric' && current.histogram.count > 0 ? current.histogram : undefined;
    if (!ref && !cur) return null;
    const lo = Math.min(ref?.min ?? Infinity, cur?.min ?? Infinity);
    const hi = Math.max(ref?.max ?? -Infinity, cur?.max ?? -Infinity);
    const width = hi > lo ? (hi - lo) / DISTRIBUTION_BINS : 1;
    const edges = Array.from({ length: DISTRIBUTION_BINS + 1 }, (_, i) => (hi > lo ? lo + i * width : lo - 0.5 + i / DISTRIBUTION_BINS));
    edges[DISTRIBUTION_BINS] = hi > lo ? hi : lo + 0.5;
    return { kind: 'numeric', edges, reference: ref ? shares(rebinHistogram(ref, edges)) : null, current: cur ? shares(rebinHistogram(cur, edges)) : null };
  }
  const refEntries = reference?.kind === 'categorical' ? reference.counts.entries() : [];
  const curEntries = current?.kind === 'categorical' ? current.counts.entries() : [];
  const refTotal = refEntries.reduce((s, [, c]) => s + c, 0);
  const curTotal = curEntries.reduce((s, [, c]) => s + c, 0);
  const keys = new Map<string, { ref: number; cur: number }>();
  for (const [k, c] of refEntries) keys.set(k, { ref: c, cur: 0 });
  for (const [k, c] of curEntries) keys.set(k, { ref: keys.get(k)?.ref ?? 0, cur: c });
  const sorted = [...keys].sort((a, b) => b[1].ref - a[1].ref || b[1].cur - a[1].cur || a[0].localeCompare(b[0]));
  const share = (c: number, total: number, present: boolean): number | null => (present ? (total > 0 ? c / total : 0) : null);
  const categories = sorted.slice(0, DISTRIBUTION_CATEGORIES).map(([key, v]) => ({ key, reference: share(v.ref, refTotal, !!reference), current: share(v.cur, curTotal, !!current) }));
  const rest = sorted.slice(DISTRIBUTION_CATEGORIES);
  if (rest.length > 0) {
    const r = rest.reduce((s, [, v]) => s + v.ref, 0);
    const c = rest.reduce((s, [, v]) => s + v.cur, 0);
    categories.push({ key: 'other', reference: share(r, refTotal, !!reference), current: share(c, curTotal, !!current) });
  }
  return { kind: 'categorical', categories };
}

/** Exact summary statistics of a numeric feature: the reference profile's, and the window's (sum / count, min, max). */
export interface NumericSummary {
  reference: { mean: number; std: number; min: number; max: number } | null;
  current: { mean: number; min: number; max: number } | null;
}

function numericSummary(profile: FeatureProfile | undefined, current: HistogramView | undefined): NumericSummary {
  const r = profile?.numeric;
  return {
    reference: r ? { mean: r.mean, std: r.std, min: r.min, max: r.max } : null,
    current: current && current.count > 0 ? { mean: current.sum / current.count, min: current.min, max: current.max } : null,
  };
}

function featureJson(f: FeatureEvaluation, profile: FeatureProfile | undefined, distribution: Distribution | null, summary: NumericSummary | null): unknown {
  const referenceRows = profile ? profile.count + profile.missing : 0;
  return {
    feature: f.feature,
    kind: f.kind,
    important: f.important,
    hasReference: f.hasReference,
    samples: f.samples,
    missing: f.missing,
    missingRatio: f.missingRatio ?? null,
    referenceMissingRatio: referenceRows > 0 && profile ? profile.missing / referenceRows : null,
    outOfRangeRatio: f.outOfRangeRatio ?? null,
    newCategoryRatio: f.newCategoryRatio ?? null,
    frozen: f.frozen ?? null,
    drift: result(f.primary),
    scores: f.results.map(result),
    distribution,
    summary,
  };
}

/** Reference and current distributions of a model output (score histogram, or predicted-class counts). */
function outputDistribution(v: VersionState, o: OutputEvaluation, window: string, nowMs: number): Distribution | null {
  const profile = v.reference?.outputs.get(o.output);
  const ref = profile && v.reference && profile.count > 0 ? referenceSketch(v.reference, `o:${o.output}`, profile) : undefined;
  const categorical = o.kind === 'categorical';
  const series: FeatureSeries = categorical ? (o.output === CLASS_OUTPUT && v.outputClasses ? { categorical: v.outputClasses } : {}) : { ...(v.outputs.has(o.output) ? { numeric: v.outputs.get(o.output) } : {}) };
  return distributionOf(ref, currentSketch(series, categorical, window, nowMs).sketch);
}

function windowJson(m: ModelState, v: VersionState, w: WindowEvaluation, nowMs: number): unknown {
  return {
    window: w.window,
    predictions: w.predictions,
    evaluatedFeatures: w.evaluatedFeatures,
    driftedFeatures: w.driftedFeatures,
    driftShare: w.driftShare ?? null,
    datasetDrift: w.datasetDrift ?? null,
    features: w.features.map((f) => {
      const profile: FeatureProfile | undefined = v.reference ? referenceFeature(v.reference, f.feature) : undefined;
      const ref = profile && v.reference && profile.count > 0 ? referenceSketch(v.reference, `f:${f.feature}`, profile) : undefined;
      const cur = currentSketch(v.features.get(f.feature), f.kind === 'categorical', w.window, nowMs);
      return featureJson(f, profile, distributionOf(ref, cur.sketch), f.kind === 'numeric' ? numericSummary(profile, cur.histogram) : null);
    }),
    outputs: w.outputs.map((o) => ({
      output: o.output,
      kind: o.kind,
      samples: o.samples,
      hasReference: o.hasReference,
      drift: result(o.primary),
      distribution: outputDistribution(v, o, w.window, nowMs),
    })),
    performance: {
      feedbackSamples: w.performance.feedbackSamples,
      positiveClass: w.performance.positiveClass ?? null,
      metrics: Object.fromEntries(w.performance.metrics),
    },
    minSamples: m.config.drift.minSamples,
    datasetDriftShareThreshold: m.config.drift.datasetDriftShare,
  };
}

/**
 * `GET /api/v1/models/{model}/drift`: the numbers of the latest evaluation (the same as /metrics) for one model,
 * optionally one version and one window, plus each feature's reference and current distributions (computed from
 * the windows at request time).
 */
export function driftReport(m: ModelState, latest: EvaluationResult, nowMs: number, filter: { version?: string; window?: string }): unknown {
  const e = latest.models.find((x) => x.model === m.name);
  const versions = (e?.versions ?? [])
    .filter((ve) => filter.version === undefined || ve.version === filter.version)
    .map((ve) => {
      const v = m.versions.get(ve.version);
      return {
        version: ve.version,
        lastSeen: ve.lastSeenMs > 0 ? new Date(ve.lastSeenMs).toISOString() : null,
        reference: ve.reference ?? null,
        windows: v ? ve.windows.filter((w) => filter.window === undefined || w.window === filter.window).map((w) => windowJson(m, v, w, nowMs)) : [],
      };
    });
  return {
    model: m.name,
    evaluatedAt: new Date(latest.timestampMs).toISOString(),
    versions,
    kpis: (e?.kpis ?? []).filter((k) => filter.window === undefined || k.window === filter.window).map((k) => ({ kpi: k.kpi, window: k.window, events: k.events, mean: k.mean ?? null })),
    important: m.config.importantFeatures,
    sla: Object.fromEntries(m.config.sla),
  };
}
