import { clampedBuckets } from './clamped-buckets.js';
import type { ExponentialHistogram } from './exponential-histogram.js';

/**
 * Estimated cumulative distribution `F(x) = P(X ≤ x)` of the values in `h`.
 *
 * Rule: buckets are taken with their ranges clamped to the recorded `[min, max]` (so the first and last
 * non-empty buckets are only as wide as the data); a bucket wholly at or below `x` counts fully, and the bucket
 * `[lo, hi]` containing `x` counts `c · (x − lo) / (hi − lo)` — the values are assumed uniform (linear
 * interpolation) inside a bucket. `F̂(x) = 0` below `min` and `1` from `max` on: exact there.
 *
 * Worst-case error: `|F̂(x) − F(x)| ≤ c_k / count` where `c_k` is the count of the bucket containing `x`
 * (0 when `x` falls between buckets), since both the estimate and the truth lie between the mass below that
 * bucket and the mass up to its end. This holds up to the OTel logarithm-mapping tolerance (a value within about
 * one ulp of a bucket boundary may sit in the neighbouring bucket).
 *
 * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 * Cost: O(buckets). Throws an `Error` for an empty histogram or a NaN `x`.
 */
export function histogramCdf(h: ExponentialHistogram, x: number): number {
  if (h.count === 0) throw new Error('histogramCdf requires a non-empty histogram');
  if (Number.isNaN(x)) throw new Error('histogramCdf requires x to be a number, got NaN');
  if (x < h.min) return 0;
  if (x >= h.max) return 1;
  const { lower, upper, count } = clampedBuckets(h);
  let below = 0;
  for (let k = 0; k < count.length; k++) {
    const lo = lower[k] as number;
    const hi = upper[k] as number;
    const c = count[k] as number;
    if (x >= hi) {
      below += c;
      continue;
    }
    if (x > lo) below += (c * (x - lo)) / (hi - lo);
    break;
  }
  return Math.min(1, Math.max(0, below / h.count));
}
