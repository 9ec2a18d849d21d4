import type { DriftResult } from '../types.js';
import { ksTwoSamplePValue } from '../drift/ks-two-sample.js';
import { ksDriftTest } from '../drift/ks.js';
import { makeResult } from '../drift/drift-test.js';
import { resolveThreshold } from '../drift/validate.js';
import { alignedBucketCounts } from './sketch-bins.js';
import type { PreparedHistogram } from './prepared-sketch.js';

/**
 * D̂ = max |F_ref(b) − F_cur(b)| over the bucket boundaries b of both histograms at their common scale. At those
 * boundaries both CDFs are known exactly (the cumulative counts), so D̂ ≤ D: it is D restricted to the boundaries, and
 * it equals D whenever no bucket holds two distinct values where the sign of F_ref − F_cur changes (e.g. data with
 * few distinct values, each in its own bucket).
 *
 * Worst-case error against D on the raw values: 0 ≤ D − D̂ ≤ maxₖ (c_ref,ₖ/n_ref + c_cur,ₖ/n_cur), the largest combined
 * share of one bucket, since inside a bucket each CDF moves by at most its share. Buckets narrow with the scale, so
 * for continuous data the error is far below the bound; the conformance suite holds it ≤ 0.01.
 * Cost: O(maxSize).
 */
export function ksStatisticFromBuckets(reference: PreparedHistogram, current: PreparedHistogram): number {
  const aligned = alignedBucketCounts(reference, current);
  let fr = 0;
  let fc = 0;
  let d = 0;
  for (let k = 0; k < aligned.reference.length; k++) {
    fr += aligned.reference[k] as number;
    fc += aligned.current[k] as number;
    const gap = Math.abs(fr / reference.count - fc / current.count);
    if (gap > d) d = gap;
  }
  return d;
}

/**
 * Two-sample KS test on sketches: D̂ as in {@link ksStatisticFromBuckets}, p-value from the exact sizes with scipy's
 * `method='auto'` (exact lattice-path p-value when max(n₁, n₂) ≤ 10 000, else asymptotic — see `ksTwoSamplePValue`).
 * Drift when p ≤ threshold (default 0.05), as `ksTest`.
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 * Cost: O(buckets) for D̂ plus the p-value: O(n) for equal sizes, up to O(n₁ n₂) for unequal sizes ≤ 10 000.
 */
export function ksFromSketches(reference: PreparedHistogram, current: PreparedHistogram, options: { threshold?: number } = {}): DriftResult {
  const threshold = resolveThreshold('ksTest', options.threshold, ksDriftTest.defaultThreshold);
  const { statistic, pValue } = ksTwoSamplePValue(reference.count, current.count, ksStatisticFromBuckets(reference, current));
  return makeResult(ksDriftTest, statistic, threshold, pValue);
}
