import type { DriftResult } from '../types.js';
import { ksTwoSamplePValue } from '../drift/ks-two-sample.js';
import { ksDriftTest } from '../drift/ks.js';
import { makeResult } from '../drift/drift-test.js';
import { resolveThreshold } from '../drift/validate.js';
import { alignedBucketCounts } from './sketch-bins.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import { hasNonZeroBuckets } from './prepared-sketch.js';

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
  if (hasNonZeroBuckets(reference) && hasNonZeroBuckets(current) && reference.data.scale !== current.data.scale) {
    return maxCdfGap(alignedBucketCounts(reference, current), reference.count, current.count);
  }
  // one scale (the usual case, after `alignScales`): walk both sides' dense ranges by bucket index, ascending value —
  // the same cumulative sums as over `alignedBucketCounts` (buckets empty on both sides change neither), no allocation
  const nRef = reference.count;
  const nCur = current.count;
  const r = reference.data;
  const c = current.data;
  let fr = 0;
  let fc = 0;
  let d = 0;
  // negative buckets: ascending value is descending index
  const rNeg = r.negative.bucketCounts;
  const cNeg = c.negative.bucketCounts;
  const rNegLow = r.negative.offset;
  const cNegLow = c.negative.offset;
  let i = rNegLow + rNeg.length - 1;
  let j = cNegLow + cNeg.length - 1;
  while (i >= rNegLow || j >= cNegLow) {
    // an exhausted side must not match the index (its cursor may equal it), hence the sentinels
    const ri = i >= rNegLow ? i : -Infinity;
    const ci = j >= cNegLow ? j : -Infinity;
    const index = ri > ci ? ri : ci;
    if (ri === index) fr += rNeg[i-- - rNegLow] as number;
    if (ci === index) fc += cNeg[j-- - cNegLow] as number;
    const gap = Math.abs(fr / nRef - fc / nCur);
    if (gap > d) d = gap;
  }
  fr += r.zeroCount;
  fc += c.zeroCount;
  const zeroGap = Math.abs(fr / nRef - fc / nCur);
  if (zeroGap > d) d = zeroGap;
  const rPos = r.positive.bucketCounts;
  const cPos = c.positive.bucketCounts;
  const rPosLow = r.positive.offset;
  const cPosLow = c.positive.offset;
  const rPosEnd = rPosLow + rPos.length;
  const cPosEnd = cPosLow + cPos.length;
  i = rPosLow;
  j = cPosLow;
  while (i < rPosEnd || j < cPosEnd) {
    const ri = i < rPosEnd ? i : Infinity;
    const ci = j < cPosEnd ? j : Infinity;
    const index = ri < ci ? ri : ci;
    if (ri === index) fr += rPos[i++ - rPosLow] as number;
    if (ci === index) fc += cPos[j++ - cPosLow] as number;
    const gap = Math.abs(fr / nRef - fc / nCur);
    if (gap > d) d = gap;
  }
  return d;
}

/** max_k |F_ref,k − F_cur,k| over aligned per-bucket counts. Cost: O(buckets). */
function maxCdfGap(aligned: { reference: readonly number[]; current: readonly number[] }, nRef: number, nCur: number): number {
  let fr = 0;
  let fc = 0;
  let d = 0;
  for (let k = 0; k < aligned.reference.length; k++) {
    fr += aligned.reference[k] as number;
    fc += aligned.current[k] as number;
    const gap = Math.abs(fr / nRef - fc / nCur);
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
