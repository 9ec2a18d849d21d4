import { ExponentialHistogram, bucketsScratch, datasetDrift, hasNonZeroBuckets, prepareHistogramData, prepareSketch } from '@driftwatch/stats';
import type { ExponentialHistogramData, FeatureProfile, FeatureSketch, PreparedSketch } from '@driftwatch/stats';
import type { ModelConfig, WindowConfig } from '../config/aggregator-config.js';
import { CLASS_OUTPUT } from '../ingest/conventions.js';
import { estimateSum } from '../ingest/point-views.js';
import type { CategoryAccumulator } from '../sketch/category-accumulator.js';
import { HistogramAccumulator, histogramDataInto } from '../sketch/histogram-accumulator.js';
import {
  preparedReference,
  referenceFeature,
  referenceSketch,
  wireFeatureName,
  type AggregatorState,
  type FeatureSeries,
  type ModelState,
  type VersionState,
} from '../state/aggregator-state.js';
import { inReference, newCategoryRatio, outOfRangeRatioOfPrepared, singleCategory } from './data-quality.js';
import type {
  EvaluationResult,
  FeatureEvaluation,
  KpiEvaluation,
  ModelEvaluation,
  OutputEvaluation,
  VersionEvaluation,
  WindowEvaluation,
} from './evaluation-types.js';
import { featureDrift } from './feature-drift.js';
import { performanceOf } from './performance-of.js';

/** Filters of an evaluation (the drift API evaluates one model on demand). */
export interface EvaluateFilter {
  readonly model?: string;
  readonly version?: string;
  readonly window?: string;
}

/** Receives method failures (a configured method that does not apply to a feature), deduplicated by the caller. */
export type FailureSink = (where: string, message: string) => void;

/**
 * Stats sketch of a histogram window. A producer's points can be valid one by one and still leave a window the stats
 * package refuses (a delta whose min/max contradict its buckets, sums that overflow to ±Infinity and cancel to NaN):
 * such a window falls back to what its buckets say, so one bad producer cannot stop the evaluation.
 */
export function histogramSketch(h: HistogramAccumulator, maxScale?: number): ExponentialHistogram {
  return ExponentialHistogram.fromData(readableData(h), maxScale === undefined ? undefined : { maxScale });
}

function readableData(h: HistogramAccumulator, into?: ExponentialHistogramData): ExponentialHistogramData {
  const data = into ? histogramDataInto(h, into) : h.toData();
  if (data.min !== undefined && data.max !== undefined && !(data.min <= data.max)) {
    delete data.min;
    delete data.max;
  }
  if (!Number.isFinite(data.sum)) data.sum = estimateSum(h);
  return data;
}

// Scratch of the evaluation (synchronous, one feature at a time): a window is read into these instead of new ones —
// the accumulator, its plain data and its clamped buckets — and nothing built from them outlives the feature's evaluation.
const scratchWindow = new HistogramAccumulator();
const scratchData: ExponentialHistogramData = { scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] }, count: 0, sum: 0 };
const scratchBuckets = bucketsScratch();

/**
 * The window of a feature for the evaluation itself, prepared for the drift tests straight from the window's plain
 * data (no intermediate `ExponentialHistogram`), at most at `maxScale` (the reference's scale).
 */
function windowSketch(
  fs: FeatureSeries | undefined,
  categorical: boolean,
  window: string,
  nowMs: number,
  maxScale?: number,
): { sketch: FeatureSketch | PreparedSketch | undefined; samples: number; histogram?: HistogramAccumulator; categories?: CategoryAccumulator } {
  if (categorical) return currentSketch(fs, true, window, nowMs);
  const h = fs?.numeric?.series.snapshotInto(window, nowMs, scratchWindow);
  if (!h || h.count === 0) return { sketch: undefined, samples: 0 };
  return { sketch: prepareHistogramData(readableData(h, scratchData), {}, 'detectDrift', 'current', maxScale, scratchBuckets), samples: h.count, histogram: h };
}

/** The scale of a numeric reference sketch with buckets (what a window is brought down to), else undefined. */
function bucketScale(sketch: FeatureSketch | undefined): number | undefined {
  return sketch?.kind === 'numeric' && sketch.histogram.count > sketch.histogram.zeroCount ? sketch.histogram.scale : undefined;
}

/**
 * Reference and window sketches prepared once for every drift test of a feature, at their common (coarser) scale:
 * the window's histogram is built at most at the reference's scale (`currentSketch`), and the reference is taken
 * at the window's scale from its cache (`preparedReference`), so no test has to align or re-read either.
 */
function preparedPair(v: VersionState, key: string, profile: FeatureProfile, current: FeatureSketch | PreparedSketch): { reference: PreparedSketch; current: PreparedSketch } {
  const reference = v.reference;
  if (!reference) throw new Error('internal: reference expected');
  const cur = prepareSketch(current, 'detectDrift', 'current');
  const scale = cur.kind === 'numeric' && hasNonZeroBuckets(cur) ? cur.data.scale : undefined;
  return { reference: preparedReference(reference, key, profile, scale), current: cur };
}

function isCategoricalType(p: FeatureProfile): boolean {
  return p.type === 'categorical' || p.type === 'boolean';
}

/**
 * One full evaluation at `nowMs`: for every model, version and window — feature drift (primary + extra methods),
 * dataset drift, prediction drift, data quality, volume, performance from feedback and KPIs. Reads window
 * snapshots from the state (three packed payloads per series) and never modifies data.
 * Cost: O(series × (buckets + drift test cost)).
 */
export function evaluate(state: AggregatorState, nowMs: number, filter: EvaluateFilter = {}, onFailure: FailureSink = () => {}): EvaluationResult {
  const started = performance.now();
  const models: ModelEvaluation[] = [];
  for (const m of state.models.values()) {
    if (filter.model !== undefined && m.name !== filter.model) continue;
    const windows = m.config.windows.filter((w) => filter.window === undefined || w.name === filter.window);
    const versions: VersionEvaluation[] = [];
    for (const v of m.versions.values()) {
      if (filter.version !== undefined && v.version !== filter.version) continue;
      versions.push({
        version: v.version,
        lastSeenMs: v.lastSeenMs,
        reference: v.reference ? { source: v.reference.profile.source, createdAt: v.reference.profile.createdAt, rowCount: v.reference.profile.rowCount } : undefined,
        windows: windows.map((w) => evaluateWindow(m, v, w, nowMs, onFailure)),
      });
    }
    models.push({ model: m.name, versions, kpis: evaluateKpis(m, windows, nowMs) });
  }
  return { timestampMs: nowMs, durationSeconds: (performance.now() - started) / 1000, models };
}

function evaluateKpis(m: ModelState, windows: readonly WindowConfig[], nowMs: number): KpiEvaluation[] {
  const out: KpiEvaluation[] = [];
  for (const [kpi, k] of m.kpis) {
    for (const w of windows) {
      const events = k.events?.series.snapshot(w.name, nowMs).count ?? 0;
      const sum = k.sum?.series.snapshot(w.name, nowMs).sum ?? 0;
      out.push({ kpi, window: w.name, events, mean: events > 0 ? sum / events : undefined });
    }
  }
  return out;
}

/** Live feature names plus the reference's (as wire names), in a stable order. */
function featureNames(v: VersionState): string[] {
  const names = new Set<string>(v.features.keys());
  if (v.reference) for (const [name, p] of v.reference.features) names.add(wireFeatureName(name, p));
  return [...names].sort();
}

function isImportant(config: ModelConfig, feature: string): boolean {
  const base = feature.replace(/\.(norm|length)$/, '');
  return config.importantFeatures.includes(feature) || config.importantFeatures.includes(base);
}

function evaluateWindow(m: ModelState, v: VersionState, w: WindowConfig, nowMs: number, onFailure: FailureSink): WindowEvaluation {
  const features = featureNames(v).map((name) => evaluateFeature(m, v, name, v.features.get(name), w, nowMs, onFailure));
  const evaluated = features.filter((f) => f.primary !== undefined);
  const dataset = evaluated.length > 0 ? datasetDrift(evaluated.map((f) => f.primary as NonNullable<typeof f.primary>), { share: m.config.drift.datasetDriftShare }) : undefined;
  return {
    window: w.name,
    predictions: v.predictions?.series.snapshot(w.name, nowMs).count ?? 0,
    features,
    evaluatedFeatures: evaluated.length,
    driftedFeatures: dataset?.driftedCount ?? 0,
    driftShare: dataset?.share,
    datasetDrift: dataset?.drifted,
    outputs: evaluateOutputs(m, v, w, nowMs, onFailure),
    performance: performanceOf(v, m.config.performance, (h) => h.series.snapshot(w.name, nowMs)),
  };
}

/** The window sketch of a feature, of the kind the reference (or the live data) says. */
export function currentSketch(
  fs: FeatureSeries | undefined,
  categorical: boolean,
  window: string,
  nowMs: number,
  maxScale?: number,
): { sketch: FeatureSketch | undefined; samples: number; histogram?: HistogramAccumulator; categories?: CategoryAccumulator } {
  if (categorical) {
    const c = fs?.categorical?.series.snapshot(window, nowMs);
    return c && c.total > 0 ? { sketch: { kind: 'categorical', counts: c.toCategoryCounts() }, samples: c.total, categories: c } : { sketch: undefined, samples: 0 };
  }
  const h = fs?.numeric?.series.snapshot(window, nowMs);
  return h && h.count > 0 ? { sketch: { kind: 'numeric', histogram: histogramSketch(h, maxScale) }, samples: h.count, histogram: h } : { sketch: undefined, samples: 0 };
}

function evaluateFeature(m: ModelState, v: VersionState, name: string, fs: FeatureSeries | undefined, w: WindowConfig, nowMs: number, onFailure: FailureSink): FeatureEvaluation {
  const minSamples = m.config.drift.minSamples;
  const refProfile = v.reference ? referenceFeature(v.reference, name) : undefined;
  const categorical = refProfile ? isCategoricalType(refProfile) : !fs?.numeric && !!fs?.categorical;
  const key = `f:${name}`;
  const usable = refProfile !== undefined && v.reference !== undefined && refProfile.count > 0;
  const cur = windowSketch(fs, categorical, w.name, nowMs, usable ? bucketScale(referenceSketch(v.reference as NonNullable<typeof v.reference>, key, refProfile)) : undefined);
  const missing = fs?.missing?.series.snapshot(w.name, nowMs).count ?? 0;
  const enough = cur.samples >= minSamples;
  let primary: FeatureEvaluation['primary'];
  let results: FeatureEvaluation['results'] = [];
  let outOfRange: number | undefined;
  let newCategory: number | undefined;
  let frozen: boolean | undefined;
  if (usable && refProfile && enough && cur.sketch) {
    const pair = preparedPair(v, key, refProfile, cur.sketch);
    const outcome = featureDrift(pair.reference, pair.current, m.config.drift, name);
    primary = outcome.primary;
    results = outcome.results;
    for (const [method, message] of outcome.failures) onFailure(`${m.name}/${v.version}/${name}/${method}`, message);
    if (cur.histogram && refProfile.numeric && pair.current.kind === 'numeric') {
      outOfRange = outOfRangeRatioOfPrepared(pair.current, refProfile.numeric.min, refProfile.numeric.max);
      frozen = cur.histogram.min === cur.histogram.max && refProfile.uniqueCount > 1;
    }
    if (cur.categories && refProfile.categorical) {
      const entries = cur.categories.entries();
      newCategory = newCategoryRatio(entries, refProfile.categorical);
      frozen = singleCategory(entries) && refProfile.uniqueCount > 1;
    }
  }
  return {
    feature: name,
    kind: categorical ? 'categorical' : 'numeric',
    samples: cur.samples,
    missing,
    missingRatio: missing + cur.samples >= minSamples ? missing / (missing + cur.samples) : undefined,
    hasReference: refProfile !== undefined,
    results,
    primary,
    outOfRangeRatio: outOfRange,
    newCategoryRatio: newCategory,
    frozen,
    important: isImportant(m.config, name),
  };
}

function evaluateOutputs(m: ModelState, v: VersionState, w: WindowConfig, nowMs: number, onFailure: FailureSink): OutputEvaluation[] {
  const minSamples = m.config.drift.minSamples;
  const out: OutputEvaluation[] = [];
  const names = new Set<string>(v.outputs.keys());
  if (v.outputClasses) names.add(CLASS_OUTPUT);
  if (v.reference) for (const n of v.reference.outputs.keys()) names.add(n);
  for (const output of [...names].sort()) {
    const refProfile = v.reference?.outputs.get(output);
    const categorical = refProfile ? isCategoricalType(refProfile) : output === CLASS_OUTPUT && !v.outputs.has(output);
    const fs: FeatureSeries = categorical ? (output === CLASS_OUTPUT && v.outputClasses ? { categorical: v.outputClasses } : {}) : { numeric: v.outputs.get(output) as NonNullable<FeatureSeries['numeric']> };
    const key = `o:${output}`;
    const usable = refProfile !== undefined && v.reference !== undefined && refProfile.count > 0;
    const cur = windowSketch(fs, categorical, w.name, nowMs, usable ? bucketScale(referenceSketch(v.reference as NonNullable<typeof v.reference>, key, refProfile)) : undefined);
    let primary: OutputEvaluation['primary'];
    if (usable && refProfile && cur.sketch && cur.samples >= minSamples) {
      const pair = preparedPair(v, key, refProfile, cur.sketch);
      const outcome = featureDrift(pair.reference, pair.current, { ...m.config.drift, methods: [] }, undefined);
      primary = outcome.primary;
      for (const [method, message] of outcome.failures) onFailure(`${m.name}/${v.version}/output ${output}/${method}`, message);
    }
    out.push({ output, kind: categorical ? 'categorical' : 'numeric', samples: cur.samples, hasReference: refProfile !== undefined, primary });
  }
  return out;
}

export { inReference };
