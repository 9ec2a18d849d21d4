import type { ExponentialHistogram } from './exponential-histogram.js';

/** The non-empty buckets of a histogram in ascending order, as parallel arrays. */
export interface ClampedBuckets {
  /** Lower end of each bucket's value range, clamped to `≥ min`. */
  lower: number[];
  /** Upper end of each bucket's value range, clamped to `≤ max`; `lower[k] ≤ upper[k] ≤ lower[k + 1]`. */
  upper: number[];
  count: number[];
}

/**
 * Collects the buckets of `h` with their ranges clamped to the recorded `[min, max]`: the outermost buckets are
 * then only as wide as the data (and never infinite), which sharpens every reader. A bucket that rounding
 * pushed wholly outside `[min, max]` becomes a point at the nearer end. Cost: O(buckets).
 */
export function clampedBuckets(h: ExponentialHistogram): ClampedBuckets {
  const out: ClampedBuckets = { lower: [], upper: [], count: [] };
  const min = h.min;
  const max = h.max;
  h.forEachBucket((lower, upper, count) => {
    let lo = lower > min ? lower : min;
    let hi = upper < max ? upper : max;
    if (lo > hi) {
      if (lower >= max) lo = hi;
      else hi = lo;
    }
    out.lower.push(lo);
    out.upper.push(hi);
    out.count.push(count);
  });
  return out;
}
