import type { DriftResult } from '../types.js';
import { sortedCopy } from './binning.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { assertNumericSample, resolveThreshold } from './validate.js';

export interface WassersteinOptions {
  /** Drift when the normed distance ≥ threshold (default 0.1). */
  readonly threshold?: number;
}

/** Floor of the normalising standard deviation (Evidently). */
export const WASSERSTEIN_MIN_NORM = 0.001;

/**
 * First Wasserstein distance between two ascending-sorted samples, scipy `wasserstein_distance(u, v)`:
 * W₁ = ∫ |F_u(x) − F_v(x)| dx, summed over the gaps of the pooled sorted sample. Cost: O(n₁ + n₂).
 */
export function wassersteinDistanceSorted(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const n1 = u.length;
  const n2 = v.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = NaN;
  while (i < n1 || j < n2) {
    const ui = i < n1 ? (u[i] as number) : Infinity;
    const vj = j < n2 ? (v[j] as number) : Infinity;
    const x = ui <= vj ? ui : vj;
    if (!Number.isNaN(prev)) total += Math.abs(i / n1 - j / n2) * (x - prev);
    while (i < n1 && (u[i] as number) <= x) i++;
    while (j < n2 && (v[j] as number) <= x) j++;
    prev = x;
  }
  return total;
}

/** Population standard deviation (ddof = 0, numpy `std`) by the two-pass formula. Cost: O(n). */
export function populationStd(values: ArrayLike<number>): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}

/** W₁ / max(σ_ref, 0.001): the normalisation shared with the sketch variant. */
export function normWasserstein(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, WASSERSTEIN_MIN_NORM);
}

/**
 * Normed Wasserstein distance, Evidently's `wasserstein`: scipy `wasserstein_distance(ref, cur) / max(std(ref), 0.001)`,
 * std with ddof = 0. Drift when ≥ threshold (default 0.1).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.wasserstein_distance.html ,
 * https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/wasserstein_distance_norm.py
 * Cost: O(n log n) (sorting).
 */
export function wassersteinNormed(reference: readonly number[], current: readonly number[], options: WassersteinOptions = {}): DriftResult {
  assertNumericSample('wassersteinNormed', 'reference', reference);
  assertNumericSample('wassersteinNormed', 'current', current);
  const threshold = resolveThreshold('wassersteinNormed', options.threshold, wassersteinTest.defaultThreshold);
  const ref = sortedCopy(reference);
  const cur = sortedCopy(current);
  // std over the sorted copy, so the result does not depend on input order
  return makeResult(wassersteinTest, normWasserstein(wassersteinDistanceSorted(ref, cur), populationStd(ref)), threshold);
}

export const wassersteinTest: DriftTest<readonly number[], WassersteinOptions> = {
  method: 'wasserstein',
  displayName: 'Wasserstein distance (normed)',
  accepts: ['numeric'],
  defaultThreshold: 0.1,
  verdict: 'statistic-at-or-above',
  lowerPValueMeansDrift: false,
  run: wassersteinNormed,
};
