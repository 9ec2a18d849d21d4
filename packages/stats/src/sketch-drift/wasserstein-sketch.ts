import type { DriftResult } from '../types.js';
import { makeResult } from '../drift/drift-test.js';
import { resolveThreshold } from '../drift/validate.js';
import { normWasserstein, wassersteinTest } from '../drift/wasserstein.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import { preparedStd } from './prepared-sketch.js';

/** ∫ |d(x)| dx over an interval of width `w` where d is linear from `d0` to `d1`. */
function absLinearIntegral(d0: number, d1: number, w: number): number {
  if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) return (Math.abs(d0) + Math.abs(d1)) * 0.5 * w;
  // the line crosses 0: two triangles
  const a = Math.abs(d0);
  const b = Math.abs(d1);
  return ((a * a + b * b) / (2 * (a + b))) * w;
}

/**
 * Ŵ₁ = ∫ |F̂_ref(x) − F̂_cur(x)| dx of two histograms' CDF estimates, integrated exactly (the difference is linear
 * between consecutive bucket boundaries).
 *
 * Worst-case error against W₁ on the raw values: |Ŵ₁ − W₁| ≤ ½ Σₖ (c_ref,ₖ/n_ref)·wₖ + ½ Σₖ (c_cur,ₖ/n_cur)·wₖ, with wₖ the
 * (clamped) bucket widths: spreading a bucket's values uniformly moves each by at most half the bucket on average, and
 * W₁ obeys the triangle inequality. With relative bucket width β = 2^(2^−scale) − 1 that is ≤ ½·β·(E|X_ref| + E|X_cur|).
 * Cost: O(buckets of both).
 */
export function wassersteinFromBuckets(reference: PreparedHistogram, current: PreparedHistogram): number {
  // `sweepCdfs` with the integration inlined (no visitor call per breakpoint): the same breakpoints, the same CDF
  // values and the same arithmetic in the same order, so the same result to the last bit
  const a = reference.buckets;
  const b = current.buckets;
  const nRef = reference.count;
  const nCur = current.count;
  const aLower = a.lower;
  const aUpper = a.upper;
  const aCount = a.count;
  const bLower = b.lower;
  const bUpper = b.upper;
  const bCount = b.count;
  const an = aCount.length;
  const bn = bCount.length;
  const rl = an * 2;
  const cl = bn * 2;
  // the two CDF walks: next bucket k, count strictly below it
  let ak = 0;
  let aBelow = 0;
  let bk = 0;
  let bBelow = 0;
  let i = 0;
  let j = 0;
  let previous = NaN;
  let total = 0;
  let px = NaN;
  let pd = 0;
  while (i < rl || j < cl) {
    const ea = i < rl ? ((i & 1) === 0 ? aLower[i >> 1] : aUpper[i >> 1]) as number : Infinity;
    const eb = j < cl ? ((j & 1) === 0 ? bLower[j >> 1] : bUpper[j >> 1]) as number : Infinity;
    let x: number;
    if (ea <= eb) {
      x = ea;
      i++;
    } else {
      x = eb;
      j++;
    }
    if (x === previous) continue;
    previous = x;
    let aJump = 0;
    while (ak < an && (aUpper[ak] as number) <= x) {
      const c = aCount[ak] as number;
      if (aUpper[ak] === x && aLower[ak] === x) aJump += c;
      aBelow += c;
      ak++;
    }
    let aValue = aBelow;
    if (ak < an) {
      const lo = aLower[ak] as number;
      if (lo < x) aValue += ((aCount[ak] as number) * (x - lo)) / ((aUpper[ak] as number) - lo);
    }
    let bJump = 0;
    while (bk < bn && (bUpper[bk] as number) <= x) {
      const c = bCount[bk] as number;
      if (bUpper[bk] === x && bLower[bk] === x) bJump += c;
      bBelow += c;
      bk++;
    }
    let bValue = bBelow;
    if (bk < bn) {
      const lo = bLower[bk] as number;
      if (lo < x) bValue += ((bCount[bk] as number) * (x - lo)) / ((bUpper[bk] as number) - lo);
    }
    const r = aValue / nRef;
    const c = bValue / nCur;
    // without a point mass at x the left limit is the value itself (the same division, skipped)
    const rb = aJump === 0 ? r : (aValue - aJump) / nRef;
    const cb = bJump === 0 ? c : (bValue - bJump) / nCur;
    if (!Number.isNaN(px)) total += absLinearIntegral(pd, rb - cb, x - px);
    px = x;
    pd = r - c;
  }
  return total;
}

/**
 * Normed Wasserstein distance on sketches, as `wassersteinNormed`: Ŵ₁ / max(σ_ref, 0.001), σ_ref the population
 * standard deviation carried by the reference sketch (exact from a reference profile), else estimated from its
 * buckets (`histogramStd`). Drift when ≥ threshold (default 0.1).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html
 * Cost: O(buckets of both).
 */
export function wassersteinFromSketches(reference: PreparedHistogram, current: PreparedHistogram, options: { threshold?: number } = {}): DriftResult {
  const threshold = resolveThreshold('wassersteinNormed', options.threshold, wassersteinTest.defaultThreshold);
  return makeResult(wassersteinTest, normWasserstein(wassersteinFromBuckets(reference, current), preparedStd(reference)), threshold);
}
