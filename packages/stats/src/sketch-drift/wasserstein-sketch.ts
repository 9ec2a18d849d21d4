import type { DriftResult } from '../types.js';
import { makeResult } from '../drift/drift-test.js';
import { resolveThreshold } from '../drift/validate.js';
import { normWasserstein, wassersteinTest } from '../drift/wasserstein.js';
import { sweepCdfs } from './cdf-sweep.js';
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
  let total = 0;
  let px = NaN;
  let pd = 0;
  sweepCdfs(reference.buckets, reference.count, current.buckets, current.count, (x, r, c, rb, cb) => {
    if (!Number.isNaN(px)) total += absLinearIntegral(pd, rb - cb, x - px);
    px = x;
    pd = r - c;
  });
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
