import type { ExponentialHistogram } from './exponential-histogram.js';
import type { ExponentialHistogramData } from './exponential-histogram-data.js';
import { lowerBoundaries } from './exponential-mapping.js';

/** The non-empty buckets of a histogram in ascending order, as parallel arrays. */
export interface ClampedBuckets {
  /** Lower end of each bucket's value range, clamped to `≥ min`. */
  readonly lower: Float64Array;
  /** Upper end of each bucket's value range, clamped to `≤ max`; `lower[k] ≤ upper[k] ≤ lower[k + 1]`. */
  readonly upper: Float64Array;
  readonly count: Float64Array;
}

/** Writes bucket `[lo0, hi0]` clamped to `[min, max]` at slot `k`; returns the next slot. */
function put(lower: Float64Array, upper: Float64Array, count: Float64Array, k: number, lo0: number, hi0: number, c: number, min: number, max: number): number {
  let lo = lo0 > min ? lo0 : min;
  let hi = hi0 < max ? hi0 : max;
  if (lo > hi) {
    if (lo0 >= max) lo = hi;
    else hi = lo;
  }
  lower[k] = lo;
  upper[k] = hi;
  count[k] = c;
  return k + 1;
}

/**
 * Collects the buckets of `h` with their ranges clamped to the recorded `[min, max]`: the outermost buckets are
 * then only as wide as the data (and never infinite), which sharpens every reader. A bucket that rounding
 * pushed wholly outside `[min, max]` becomes a point at the nearer end. The zero bucket is `[−t, t]` (a point at 0
 * when the threshold `t` is 0). Boundaries come from `lowerBoundaries` (one per bucket edge, shared by neighbours).
 * Cost: O(buckets), three typed arrays of the non-empty bucket count.
 */
export function clampedBuckets(h: ExponentialHistogram): ClampedBuckets {
  return clampedBucketsOfData(h.toData());
}

/** {@link clampedBuckets} of a histogram's plain data (`min`/`max` taken as ±Infinity when absent). Cost: O(buckets). */
export function clampedBucketsOfData(data: ExponentialHistogramData): ClampedBuckets {
  const scale = data.scale;
  const neg = data.negative;
  const pos = data.positive;
  let size = data.zeroCount > 0 ? 1 : 0;
  for (const c of neg.bucketCounts) if (c !== 0) size++;
  for (const c of pos.bucketCounts) if (c !== 0) size++;
  const lower = new Float64Array(size);
  const upper = new Float64Array(size);
  const count = new Float64Array(size);
  const min = data.min ?? -Infinity;
  const max = data.max ?? Infinity;
  let k = 0;
  // negative bucket i holds −v for v in (b^i, b^(i+1)]: ascending value means descending index
  const nb = lowerBoundaries(neg.offset, neg.bucketCounts.length, scale);
  for (let j = neg.bucketCounts.length - 1; j >= 0; j--) {
    const c = neg.bucketCounts[j] as number;
    if (c !== 0) k = put(lower, upper, count, k, -(nb[j + 1] as number), -(nb[j] as number), c, min, max);
  }
  if (data.zeroCount > 0) k = put(lower, upper, count, k, data.zeroThreshold === 0 ? 0 : -data.zeroThreshold, data.zeroThreshold, data.zeroCount, min, max);
  const pb = lowerBoundaries(pos.offset, pos.bucketCounts.length, scale);
  for (let j = 0; j < pos.bucketCounts.length; j++) {
    const c = pos.bucketCounts[j] as number;
    if (c !== 0) k = put(lower, upper, count, k, pb[j] as number, pb[j + 1] as number, c, min, max);
  }
  return { lower, upper, count };
}
