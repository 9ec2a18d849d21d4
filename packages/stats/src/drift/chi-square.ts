import type { DriftResult } from '../types.js';
import { categoryCounts } from './binning.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { chiSquareSf } from './special-functions.js';
import { assertNumericSample, assertStringSample, resolveThreshold, sampleKind } from './validate.js';

export interface ChiSquareOptions {
  /** Drift when p < threshold (default 0.05, Evidently's `p_value < threshold`). */
  readonly threshold?: number;
}

export interface ChiSquareValue {
  readonly statistic: number;
  readonly pValue: number;
  /** Degrees of freedom (categories − 1). */
  readonly df: number;
}

/**
 * Pearson chi-square goodness of fit of current counts against reference counts scaled to the current total
 * (core shared with the sketch variant).
 *
 * Formula: Eᵢ = refᵢ · n_cur / n_ref, χ² = Σ (curᵢ − Eᵢ)² / Eᵢ, p = P(χ²_{k−1} > χ²) (scipy `chisquare(cur, E)`).
 * A category absent from the reference but present in the current sample has Eᵢ = 0 and makes χ² = +∞, p = 0 — what
 * Evidently gets from scipy. Bins empty on both sides are skipped (they cannot occur with raw samples). With a single
 * category χ² = 0 and p = 1 (scipy would return NaN for 0 degrees of freedom).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.chisquare.html . Cost: O(k).
 */
export function chiSquareFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): ChiSquareValue {
  if (reference.length !== current.length) throw new Error(`chiSquareTest: count vectors differ in length (${reference.length} vs ${current.length})`);
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < reference.length; i++) {
    nRef += reference[i] as number;
    nCur += current[i] as number;
  }
  if (!(nRef > 0) || !(nCur > 0)) throw new Error('chiSquareTest requires at least 1 data point on each side');
  const scale = nCur / nRef;
  let statistic = 0;
  let categories = 0;
  for (let i = 0; i < reference.length; i++) {
    const observed = current[i] as number;
    const expected = (reference[i] as number) * scale;
    if (expected === 0 && observed === 0) continue;
    categories++;
    statistic += expected === 0 ? Infinity : (observed - expected) ** 2 / expected;
  }
  const df = categories - 1;
  if (df < 1) return { statistic: 0, pValue: 1, df: 0 };
  return { statistic, pValue: chiSquareSf(statistic, df), df };
}

/**
 * Chi-square test of a categorical (or few-valued numeric) feature, Evidently's `chisquare` stat test:
 * categories = union of both samples, expected = reference counts × n_cur / n_ref, scipy `chisquare` p-value.
 * Drift when p < threshold (default 0.05). New categories in the current sample give χ² = ∞, p = 0 (drift).
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/chisquare_stattest.py
 * Cost: O(n + k log k).
 */
export function chiSquareTest(reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], options: ChiSquareOptions = {}): DriftResult {
  const threshold = resolveThreshold('chiSquareTest', options.threshold, chiSquareDriftTest.defaultThreshold);
  const counts = rawCategoryCounts('chiSquareTest', reference, current);
  const { statistic, pValue } = chiSquareFromCounts(counts.reference, counts.current);
  return makeResult(chiSquareDriftTest, statistic, threshold, pValue);
}

/** Validates two categorical samples (strings, or finite numbers taken as categories) and counts them per category. */
export function rawCategoryCounts(test: string, reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[]): { keys: (string | number)[]; reference: number[]; current: number[] } {
  if (sampleKind(test, 'reference', reference) === 'categorical') {
    assertStringSample(test, 'reference', reference);
    assertStringSample(test, 'current', current);
    return categoryCounts<string>(reference, current);
  }
  assertNumericSample(test, 'reference', reference);
  assertNumericSample(test, 'current', current);
  return categoryCounts<number>(reference, current);
}

export const chiSquareDriftTest: DriftTest<readonly number[] | readonly string[], ChiSquareOptions> = {
  method: 'chisquare',
  displayName: 'Chi-square test',
  accepts: ['categorical', 'numeric'],
  defaultThreshold: 0.05,
  verdict: 'p-value-below',
  lowerPValueMeansDrift: true,
  run: chiSquareTest,
};
