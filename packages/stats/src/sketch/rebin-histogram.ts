import type { ClampedBuckets } from './clamped-buckets.js';
import { clampedBuckets } from './clamped-buckets.js';
import type { ExponentialHistogram } from './exponential-histogram.js';

/**
 * Re-bins `h` onto explicit `edges`: returns `counts[i]` ≈ number of values in `[edges[i], edges[i+1])`, the last
 * bin closed `[edges[n−1], edges[n]]`. Values outside `[edges[0], edges[n]]` are not counted: pass `−Infinity` /
 * `Infinity` as outer edges to keep every value.
 *
 * Rule: each bucket, its range clamped to the recorded `[min, max]`, spreads its count uniformly (linear
 * interpolation, as in `histogramCdf`): bin `i` receives `c · |[lo, hi] ∩ [e_i, e_{i+1}]| / (hi − lo)`. A bucket
 * of zero width (e.g. the zero bucket, or all values equal) is a point mass and goes whole to the bin containing it.
 * Consequently `counts[i] ≈ n · (F̂(e_{i+1}) − F̂(e_i))`.
 *
 * Worst-case error: bin `i` is off by at most the counts of the (at most two) buckets cut by its edges `e_i` and
 * `e_{i+1}` — buckets wholly inside or outside a bin are exact. The total is the count in `[e_0, e_n]` up to the
 * buckets cut by `e_0` and `e_n`. (Up to the OTel logarithm-mapping tolerance of about one ulp at a boundary.)
 *
 * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 * Cost: O(buckets + edges). Throws an `Error` unless there are at least 2 edges, strictly increasing, not NaN.
 */
export function rebinHistogram(h: ExponentialHistogram, edges: readonly number[]): number[] {
  if (edges.length < 2) throw new Error(`rebinHistogram requires at least 2 edges, got ${edges.length}`);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i] as number;
    if (typeof e !== 'number' || Number.isNaN(e)) throw new Error(`rebinHistogram edges[${i}] must be a number`);
    if (i > 0 && !(e > (edges[i - 1] as number))) throw new Error(`rebinHistogram edges must be strictly increasing (edges[${i}] = ${e})`);
  }
  if (h.count === 0) return new Array<number>(edges.length - 1).fill(0);
  return rebinClampedBuckets(clampedBuckets(h), edges);
}

/**
 * {@link rebinHistogram} on buckets already collected by `clampedBuckets` (so several readers of one histogram
 * share that O(buckets) step); `edges` must already be checked. Same rule and error bound. Cost: O(buckets + edges).
 */
export function rebinClampedBuckets(buckets: ClampedBuckets, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const out = new Array<number>(bins).fill(0);
  const last = edges[bins] as number;
  const { lower, upper, count } = buckets;
  let j = 0; // first bin that may overlap the current bucket
  for (let k = 0; k < count.length; k++) {
    const lo = lower[k] as number;
    const hi = upper[k] as number;
    const c = count[k] as number;
    while (j < bins && (edges[j + 1] as number) <= lo && !(j === bins - 1 && lo === last)) j++;
    if (j >= bins) break;
    if (hi === lo) {
      if (lo >= (edges[j] as number) && lo <= last) out[j] = (out[j] as number) + c;
      continue;
    }
    const width = hi - lo;
    for (let t = j; t < bins; t++) {
      const a = edges[t] as number;
      const b = edges[t + 1] as number;
      if (a >= hi) break;
      const overlap = Math.min(hi, b) - Math.max(lo, a);
      if (overlap > 0) out[t] = (out[t] as number) + (c * overlap) / width;
    }
  }
  return out;
}
