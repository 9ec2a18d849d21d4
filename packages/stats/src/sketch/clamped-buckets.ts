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
  const neg = data.negative.bucketCounts;
  const pos = data.positive.bucketCounts;
  const capacity = neg.length + pos.length + 1;
  const lower = new Float64Array(capacity);
  const upper = new Float64Array(capacity);
  const count = new Float64Array(capacity);
  const min = data.min ?? -Infinity;
  const max = data.max ?? Infinity;
  let k = 0;
  // each bucket [lo, hi] is clamped to [min, max]; one that rounding pushed outside becomes a point at the nearer end
  // (written out in both loops below: this is the hot loop of every reader, and a shared closure costs 2×)
  if (neg.length > 0) {
    // negative bucket i holds −v for v in (b^i, b^(i+1)]: ascending value means descending index
    const edges = lowerBoundaries(data.negative.offset, neg.length, scale);
    for (let j = neg.length - 1; j >= 0; j--) {
      const c = neg[j] as number;
      if (c === 0) continue;
      const lo0 = -(edges[j + 1] as number);
      const hi0 = -(edges[j] as number);
      let lo = lo0 > min ? lo0 : min;
      let hi = hi0 < max ? hi0 : max;
      if (lo > hi) {
        if (lo0 >= max) lo = hi;
        else hi = lo;
      }
      lower[k] = lo;
      upper[k] = hi;
      count[k++] = c;
    }
  }
  if (data.zeroCount > 0) {
    const t = data.zeroThreshold;
    lower[k] = t === 0 ? 0 : Math.max(-t, min);
    upper[k] = t === 0 ? 0 : Math.min(t, max);
    count[k++] = data.zeroCount;
  }
  if (pos.length > 0) {
    const edges = lowerBoundaries(data.positive.offset, pos.length, scale);
    for (let j = 0; j < pos.length; j++) {
      const c = pos[j] as number;
      if (c === 0) continue;
      const lo0 = edges[j] as number;
      const hi0 = edges[j + 1] as number;
      let lo = lo0 > min ? lo0 : min;
      let hi = hi0 < max ? hi0 : max;
      if (lo > hi) {
        if (lo0 >= max) lo = hi;
        else hi = lo;
      }
      lower[k] = lo;
      upper[k] = hi;
      count[k++] = c;
    }
  }
  return k === capacity ? { lower, upper, count } : { lower: lower.subarray(0, k), upper: upper.subarray(0, k), count: count.subarray(0, k) };
}
