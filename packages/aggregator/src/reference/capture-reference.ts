import { REFERENCE_PROFILE_FORMAT, lowerBoundary, validateReferenceProfile } from '@driftwatch/stats';
import type { FeatureProfile, ReferenceProfile } from '@driftwatch/stats';
import { CLASS_OUTPUT } from '../ingest/conventions.js';
import type { CategoryAccumulator } from '../sketch/category-accumulator.js';
import type { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import type { VersionState } from '../state/aggregator-state.js';

interface Captured {
  readonly name: string;
  readonly histogram?: HistogramAccumulator;
  readonly categories?: CategoryAccumulator;
  readonly missing: number;
}

/**
 * Sample standard deviation estimated from a histogram, each bucket's values taken at its geometric midpoint
 * (clamped to [min, max]); 0 for fewer than 2 values. Cost: O(buckets).
 */
export function histogramStd(h: HistogramAccumulator): number {
  if (h.count < 2) return 0;
  const mean = h.sum / h.count;
  let ss = 0;
  const add = (x: number, c: number): void => {
    const v = Math.min(h.max, Math.max(h.min, x));
    ss += c * (v - mean) ** 2;
  };
  for (const [sign, b] of [
    [1, h.positive],
    [-1, h.negative],
  ] as const) {
    for (let i = b.start; i <= b.end; i++) {
      const c = b.counts[i - b.offset] as number;
      if (c !== 0) add(sign * Math.sqrt(lowerBoundary(i, h.scale) * lowerBoundary(i + 1, h.scale)), c);
    }
  }
  if (h.zeroCount > 0) add(0, h.zeroCount);
  return Math.sqrt(ss / (h.count - 1));
}

function nonEmptyBuckets(h: HistogramAccumulator): number {
  let n = h.zeroCount > 0 ? 1 : 0;
  for (const b of [h.positive, h.negative]) for (let i = b.start; i <= b.end; i++) if (b.counts[i - b.offset] !== 0) n++;
  return n;
}

function profileOf(c: Captured, rowCount: number): FeatureProfile {
  if (c.categories) {
    const data = c.categories.toCategoryCounts().toData();
    const count = data.total;
    return { type: 'categorical', count, missing: rowCount - count, uniqueCount: Math.min(count, c.categories.entries().length), categorical: data };
  }
  const h = c.histogram;
  if (!h || h.count === 0) return { type: 'numeric', count: 0, missing: rowCount, uniqueCount: 0 };
  // distinct values are not known from a histogram: the number of non-empty buckets is a lower bound (1 when min = max)
  const uniqueCount = h.min === h.max ? 1 : Math.max(2, nonEmptyBuckets(h));
  return {
    type: 'numeric',
    count: h.count,
    missing: rowCount - h.count,
    uniqueCount: Math.min(h.count, uniqueCount),
    numeric: { min: h.min, max: h.max, mean: h.sum / h.count, std: histogramStd(h), histogram: h.toData() },
  };
}

/**
 * Builds a reference profile from the production slices of a version between `fromMs` and `toMs` (rounded out
 * to slice boundaries; see `WindowedSeries.capture`), `source: 'capture'`. Numeric features keep the merged
 * histogram (mean from the exact sum, std estimated from bucket midpoints); categorical features their counts.
 * `rowCount` is the largest (values + missing) of any feature: a feature seen fewer times gets the difference
 * counted as missing (it was absent from those rows). Outputs are captured the same way (`class` for predicted
 * classes). Throws when the range holds no data.
 */
export function captureReference(v: VersionState, fromMs: number, toMs: number, nowMs: number): ReferenceProfile {
  const features: Captured[] = [];
  for (const [name, f] of [...v.features].sort(([a], [b]) => a.localeCompare(b))) {
    const missing = f.missing?.series.capture(fromMs, toMs, nowMs).count ?? 0;
    if (f.numeric) features.push({ name, histogram: f.numeric.series.capture(fromMs, toMs, nowMs), missing });
    else if (f.categorical) features.push({ name, categories: f.categorical.series.capture(fromMs, toMs, nowMs), missing });
  }
  const outputs: Captured[] = [];
  for (const [name, h] of v.outputs) outputs.push({ name, histogram: h.series.capture(fromMs, toMs, nowMs), missing: 0 });
  if (v.outputClasses) outputs.push({ name: CLASS_OUTPUT, categories: v.outputClasses.series.capture(fromMs, toMs, nowMs), missing: 0 });
  const size = (c: Captured): number => (c.histogram?.count ?? c.categories?.total ?? 0) + c.missing;
  const rowCount = Math.max(0, ...features.map(size), ...outputs.map(size));
  if (rowCount === 0) throw new Error(`no data for model ${JSON.stringify(v.model)} version ${JSON.stringify(v.version)} between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
  const toRecord = (list: Captured[]): Record<string, FeatureProfile> => {
    const out = Object.create(null) as Record<string, FeatureProfile>;
    for (const c of list) out[c.name] = profileOf(c, rowCount);
    return out;
  };
  const profile: ReferenceProfile = {
    format: REFERENCE_PROFILE_FORMAT,
    model: v.model,
    version: v.version,
    createdAt: new Date(nowMs).toISOString(),
    source: 'capture',
    rowCount,
    features: toRecord(features),
  };
  if (outputs.length > 0) profile.outputs = toRecord(outputs);
  return validateReferenceProfile(profile);
}
