import type { ExponentialHistogram } from './exponential-histogram.js';
import type { ExponentialHistogramData } from './exponential-histogram-data.js';
import { lowerBoundariesInto } from './exponential-mapping.js';

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
 * Cost: O(buckets), three typed arrays (views of one buffer) of the non-empty bucket count.
 */
export function clampedBuckets(h: ExponentialHistogram): ClampedBuckets {
  return clampedBucketsOfData(h.toData());
}

/** Bucket boundaries of the range being read (reused: reading allocates only the result). */
let edges = new Float64Array(512);

function edgesFor(offset: number, length: number, scale: number): Float64Array {
  if (edges.length < length + 1) edges = new Float64Array(Math.max(length + 1, 2 * edges.length));
  return lowerBoundariesInto(edges, offset, length, scale);
}

/**
 * Storage a caller reuses for the clamped buckets of transient histograms (read, used, dropped — e.g. the windows of one
 * evaluation): what is read into it is valid until the next read into the same scratch. Allocating the arrays anew for
 * every window costs more than reading the buckets.
 */
export interface BucketsScratch {
  buffer: Float64Array;
}

/** A new, empty {@link BucketsScratch}. */
export function bucketsScratch(): BucketsScratch {
  return { buffer: new Float64Array(3 * 192) };
}

/**
 * {@link clampedBuckets} of a histogram's plain data (`min`/`max` taken as ±Infinity when absent). The three arrays are
 * views of one buffer: a new one, or `scratch`'s (then valid until its next use). Cost: O(buckets), one allocation
 * without `scratch`, none with it.
 */
export function clampedBucketsOfData(data: ExponentialHistogramData, scratch?: BucketsScratch): ClampedBuckets {
  const scale = data.scale;
  const neg = data.negative.bucketCounts;
  const pos = data.positive.bucketCounts;
  // a new buffer is sized to the non-empty buckets (counted first); a scratch to all of them (it is reused anyway)
  let capacity = neg.length + pos.length + 1;
  let buffer: Float64Array;
  if (scratch) {
    if (scratch.buffer.length < 3 * capacity) scratch.buffer = new Float64Array(Math.max(3 * capacity, 2 * scratch.buffer.length));
    buffer = scratch.buffer;
  } else {
    capacity = data.zeroCount > 0 ? 1 : 0;
    for (let j = 0; j < neg.length; j++) if (neg[j] !== 0) capacity++;
    for (let j = 0; j < pos.length; j++) if (pos[j] !== 0) capacity++;
    buffer = new Float64Array(3 * capacity);
  }
  const lower = buffer.subarray(0, capacity);
  const upper = buffer.subarray(capacity, 2 * capacity);
  const count = buffer.subarray(2 * capacity, 3 * capacity);
  const min = data.min ?? -Infinity;
  const max = data.max ?? Infinity;
  let k = 0;
  // each bucket [lo, hi] is clamped to [min, max]; one that rounding pushed outside becomes a point at the nearer end
  // (written out in both loops below: this is the hot loop of every reader, and a shared closure costs 2×)
  if (neg.length > 0) {
    // negative bucket i holds −v for v in (b^i, b^(i+1)]: ascending value means descending index
    const e = edgesFor(data.negative.offset, neg.length, scale);
    for (let j = neg.length - 1; j >= 0; j--) {
      const c = neg[j] as number;
      if (c === 0) continue;
      const lo0 = -(e[j + 1] as number);
      const hi0 = -(e[j] as number);
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
    const e = edgesFor(data.positive.offset, pos.length, scale);
    for (let j = 0; j < pos.length; j++) {
      const c = pos[j] as number;
      if (c === 0) continue;
      const lo0 = e[j] as number;
      const hi0 = e[j + 1] as number;
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
