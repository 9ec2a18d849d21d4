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
 * Ŵ₁ of two prepared histograms at one scale, with their exact means: the area `area` = ∫ |F̂_ref − F̂_cur| of the
 * two CDF estimates (`wassersteinFromBuckets`, or the walk's), corrected by the difference between the exact means
 * (`sum / count`) and the means of those estimates (`bucketMean`, or the walk's `referenceModelMean` and
 * `currentModelMean`, which it gets without reading the clamped buckets).
 *
 * Why: with d = F_ref − F_cur, ∫ d dx = μ_cur − μ_ref, so W₁ = ∫ |d| = |μ_cur − μ_ref| + 2·min(P, N), P and N the areas
 * where d is positive and negative. A sketch knows the means exactly (OTLP carries the sum), so only min(P, N), the
 * area where the CDFs cross back, is estimated: Ŵ₁ = |Δμ| + 2·min(P̂, N̂) = |Δμ| + (Â − |Δμ̂|), Δμ̂ the difference of the
 * estimates' means (the signed area of d̂). Two distributions that do not cross (a shift) then get W₁ = |Δμ| exactly,
 * wherever their values sit inside the buckets; and Ŵ₁ ≥ |Δμ|, a bound W₁ always obeys.
 *
 * Worst case: each of P̂, N̂ is within B = ½ Σₖ (c_ref,ₖ/n_ref)·wₖ + ½ Σₖ (c_cur,ₖ/n_cur)·wₖ of its true value (the
 * bound of the uncorrected area), so |Ŵ₁ − W₁| ≤ 2B; in the conformance cases the error is 2–5× smaller than the
 * uncorrected area's (README). When a sum was estimated from the buckets (an OTLP point without one), Δμ carries that
 * estimate's error too. Cost: O(1) given the model means, else O(buckets) for `bucketMean`.
 */
export function meanCorrectedWasserstein(
  reference: PreparedHistogram,
  current: PreparedHistogram,
  area: number,
  referenceModelMean = reference.bucketMean,
  currentModelMean = current.bucketMean,
): number {
  const difference = Math.abs(current.data.sum / current.count - reference.data.sum / reference.count);
  // a difference within the rounding error of the two sums, (n − 1)·ε·max|x| per side (Higham, Accuracy and Stability
  // of Numerical Algorithms, §4.2), is none: the same values recorded in another order or merged from parts
  const rounding = Number.EPSILON * ((reference.count - 1) * largestMagnitude(reference) + (current.count - 1) * largestMagnitude(current));
  const exact = difference > rounding ? difference : 0;
  const estimated = Math.abs(currentModelMean - referenceModelMean);
  // Â ≥ |Δμ̂| exactly; rounding may leave it a hair below
  return exact + Math.max(0, area - estimated);
}

const largestMagnitude = (p: PreparedHistogram): number => Math.max(Math.abs(p.min), Math.abs(p.max));

/**
 * Normed Wasserstein distance on sketches, as `wassersteinNormed`: Ŵ₁ / max(σ_ref, 0.001), with Ŵ₁ from
 * {@link meanCorrectedWasserstein} and σ_ref the population standard deviation carried by the reference sketch (exact
 * from a reference profile), else estimated from its buckets (`histogramStd`). Drift when ≥ threshold (default 0.1).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html
 * Cost: O(buckets of both).
 */
export function wassersteinFromSketches(reference: PreparedHistogram, current: PreparedHistogram, options: { threshold?: number } = {}): DriftResult {
  const threshold = resolveThreshold('wassersteinNormed', options.threshold, wassersteinTest.defaultThreshold);
  const w1 = meanCorrectedWasserstein(reference, current, wassersteinFromBuckets(reference, current));
  return makeResult(wassersteinTest, normWasserstein(w1, preparedStd(reference)), threshold);
}
