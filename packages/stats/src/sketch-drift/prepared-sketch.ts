import type { FeatureSketch } from '../profile/feature-sketch.js';
import type { ClampedBuckets } from '../sketch/clamped-buckets.js';
import { clampedBucketsOfData } from '../sketch/clamped-buckets.js';
import type { ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';
import { OTHER_KEY, TAIL_KEY_PREFIX } from '../sketch/category-counts.js';
import type { CategoryCounts } from '../sketch/category-counts.js';
import type { ExponentialHistogram } from '../sketch/exponential-histogram.js';

/**
 * A numeric sketch read once for drift on sketches: its non-empty buckets clamped to `[min, max]` (shared by every
 * test), the reference facts the tests need, and the histogram itself (for bucket-aligned bins).
 */
export interface PreparedHistogram {
  readonly kind: 'numeric';
  readonly histogram: ExponentialHistogram;
  /** The histogram's plain data (dense bucket ranges), read once. */
  readonly data: ExponentialHistogramData;
  readonly buckets: ClampedBuckets;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Distinct values: the sketch's own count when it has one, else the number of non-empty buckets (a lower bound). */
  readonly uniqueCount: number;
  /** True when `uniqueCount` was measured on the raw values, not estimated from buckets. */
  readonly uniqueCountKnown: boolean;
  /** Population standard deviation (ddof = 0): given with the sketch, else {@link histogramStd}. */
  readonly std: number;
}

/** A categorical sketch read once: its wire keys and counts, and how full its exact part is. */
export interface PreparedCategories {
  readonly kind: 'categorical';
  readonly counts: CategoryCounts;
  /** Wire key → count (exact categories, `__dw_tail_<i>__`, `__dw_other__`), non-zero only. */
  readonly entries: ReadonlyMap<string, number>;
  readonly total: number;
  /** True when every exact slot is taken, so a category absent here may hide in a tail bucket. */
  readonly exactFull: boolean;
}

export type PreparedSketch = PreparedHistogram | PreparedCategories;

/**
 * Population standard deviation estimated from a histogram's buckets, assuming values uniform inside each bucket:
 * σ̂² = Σₖ (cₖ/n)·(aₖ² + aₖbₖ + bₖ²)/3 − μ², μ = sum/n (exact). Worst-case error: |σ̂² − σ²| ≤ Σₖ (cₖ/n)·(bₖ − aₖ)·max(|aₖ|, |bₖ|)·2,
 * i.e. of the order of the relative bucket width (`relativeBucketWidth(scale)`) times E[X²].
 * Cost: O(buckets).
 */
export function histogramStd(buckets: ClampedBuckets, count: number, sum: number): number {
  if (!(count > 0)) return 0;
  const mean = sum / count;
  let second = 0;
  const { lower, upper, count: c } = buckets;
  for (let k = 0; k < c.length; k++) {
    const a = lower[k] as number;
    const b = upper[k] as number;
    second += ((c[k] as number) * (a * a + a * b + b * b)) / 3;
  }
  return Math.sqrt(Math.max(0, second / count - mean * mean));
}

function isWireKeyOfCategory(key: string): boolean {
  return key !== OTHER_KEY && !key.startsWith(TAIL_KEY_PREFIX);
}

/**
 * Reads a {@link FeatureSketch} once for the drift tests on sketches; passing the result instead of the sketch
 * lets several tests (and several evaluations of an unchanging reference) share the work.
 * The prepared form is a snapshot: record into the sketch afterwards and it is stale.
 * Throws an `Error` for an empty sketch ("… requires at least 1 data point"). Cost: O(buckets) or O(K + M).
 */
export function prepareSketch(sketch: FeatureSketch | PreparedSketch, test = 'prepareSketch', role: 'reference' | 'current' = 'reference'): PreparedSketch {
  if ('entries' in sketch || 'buckets' in sketch) return sketch;
  if (sketch.kind === 'categorical') {
    const counts = sketch.counts;
    if (!(counts.total > 0)) throw new Error(`${test} requires at least 1 data point in ${role}, got an empty sketch`);
    const entries = new Map<string, number>();
    let exact = 0;
    for (const [key, count] of counts.entries()) {
      entries.set(key, count);
      if (isWireKeyOfCategory(key)) exact++;
    }
    return { kind: 'categorical', counts, entries, total: counts.total, exactFull: exact >= counts.maxExact };
  }
  const h = sketch.histogram;
  if (!(h.count > 0)) throw new Error(`${test} requires at least 1 data point in ${role}, got an empty sketch`);
  const data = h.toData();
  const buckets = clampedBucketsOfData(data);
  const known = sketch.uniqueCount !== undefined && Number.isFinite(sketch.uniqueCount) && sketch.uniqueCount >= 1;
  const std = sketch.std !== undefined && Number.isFinite(sketch.std) && sketch.std >= 0 ? sketch.std : histogramStd(buckets, h.count, h.sum);
  return {
    kind: 'numeric',
    histogram: h,
    data,
    buckets,
    count: h.count,
    min: h.min,
    max: h.max,
    uniqueCount: known ? (sketch.uniqueCount as number) : buckets.count.length,
    uniqueCountKnown: known,
    std,
  };
}

/** Total count of a prepared sketch. */
export function preparedCount(p: PreparedSketch): number {
  return p.kind === 'numeric' ? p.count : p.total;
}

function hasNonZeroBuckets(p: PreparedHistogram): boolean {
  return p.count > p.histogram.zeroCount;
}

/** `p` with its histogram brought down to `scale`, keeping the facts measured on the raw values. Cost: O(maxSize). */
function downscaled(p: PreparedHistogram, scale: number): PreparedHistogram {
  const histogram = p.histogram.atScale(scale);
  const data = histogram.toData();
  return { ...p, histogram, data, buckets: clampedBucketsOfData(data) };
}

/**
 * Two numeric sketches brought to their common (coarser) scale, so that both CDF estimates have the same bucket
 * boundaries: there the difference F̂_ref − F̂_cur is exact, and interpolation errors inside a bucket are alike on both
 * sides instead of adding up. Other pairs are returned as they are. Cost: O(maxSize) when a scale changes, else O(1).
 */
export function alignScales(reference: PreparedSketch, current: PreparedSketch): [PreparedSketch, PreparedSketch] {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric' || !hasNonZeroBuckets(reference) || !hasNonZeroBuckets(current)) return [reference, current];
  const r = reference.histogram.scale;
  const c = current.histogram.scale;
  if (r === c) return [reference, current];
  return r > c ? [downscaled(reference, c), current] : [reference, downscaled(current, r)];
}
