import type { DriftResult } from '../types.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { rawCategoryCounts } from './chi-square.js';
import { normalCdf } from './special-functions.js';
import { resolveThreshold } from './validate.js';

export interface ZTestOptions {
  /** Drift when p < threshold (default 0.05, Evidently's `p_value < threshold`). */
  readonly threshold?: number;
}

/**
 * Two-proportion pooled z-test over the counts of a binary feature (core shared with the sketch variant).
 * Bin 0 is the first category in sorted order (coded 0), bin 1 the other (coded 1), as Evidently codes them.
 *
 * Formula: p₁ = ref₁/n₁, p₂ = cur₁/n₂, P = (p₁n₁ + p₂n₂)/(n₁ + n₂), z = (p₁ − p₂)/√(P(1 − P)(1/n₁ + 1/n₂)),
 * p = 2·(1 − Φ(|z|)) (computed like Evidently, so p underflows to 0 for |z| ≳ 8.3). With a single category on both sides
 * z = 0 and p = 1 (Evidently's special case).
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/z_stattest.py ,
 * https://en.wikipedia.org/wiki/Test_statistic#Common_test_statistics (two-proportion z-test). Cost: O(1).
 */
export function zTestFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): { statistic: number; pValue: number } {
  if (reference.length !== current.length) throw new Error(`zTest: count vectors differ in length (${reference.length} vs ${current.length})`);
  if (reference.length > 2) throw new Error(`zTest requires binary data (at most 2 categories), got ${reference.length}`);
  const n1 = sum(reference);
  const n2 = sum(current);
  if (!(n1 > 0) || !(n2 > 0)) throw new Error('zTest requires at least 1 data point on each side');
  if (reference.length < 2) return { statistic: 0, pValue: 1 };
  const p1 = (reference[1] as number) / n1;
  const p2 = (current[1] as number) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return { statistic: z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

/**
 * Two-proportion z-test for a binary categorical feature (strings, or numbers taken as categories), Evidently's `z` stat test.
 * More than two distinct values throws. Drift when p < threshold (default 0.05).
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/z_stattest.py
 * Cost: O(n).
 */
export function zTest(reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], options: ZTestOptions = {}): DriftResult {
  const threshold = resolveThreshold('zTest', options.threshold, zDriftTest.defaultThreshold);
  const counts = rawCategoryCounts('zTest', reference, current);
  const { statistic, pValue } = zTestFromCounts(counts.reference, counts.current);
  return makeResult(zDriftTest, statistic, threshold, pValue);
}

export const zDriftTest: DriftTest<readonly number[] | readonly string[], ZTestOptions> = {
  method: 'z',
  displayName: 'Two-proportion Z-test',
  accepts: ['categorical', 'numeric'],
  defaultThreshold: 0.05,
  verdict: 'p-value-below',
  lowerPValueMeansDrift: true,
  run: zTest,
};
