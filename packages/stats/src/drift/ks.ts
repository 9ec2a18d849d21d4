import type { DriftResult } from '../types.js';
import { sortedCopy } from './binning.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { ksStatisticSorted, ksTwoSamplePValue } from './ks-two-sample.js';
import { assertNumericSample, resolveThreshold } from './validate.js';

export interface KsOptions {
  /** Drift when p ≤ threshold (default 0.05, Evidently's `p_value <= threshold`). */
  readonly threshold?: number;
}

/**
 * Two-sample Kolmogorov–Smirnov test, scipy 1.10 `ks_2samp(ref, cur)` (two-sided, `method='auto'`).
 *
 * Formula: D = supₓ |F_ref(x) − F_cur(x)| over the empirical CDFs; p-value exact (Hodges' lattice-path count) when
 * max(n₁, n₂) ≤ 10 000, else asymptotic `kstwo.sf(D, round(n₁n₂/(n₁+n₂)))`. Drift when p ≤ threshold (default 0.05).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 * Cost: O(n log n) sorting + p-value: O(n) for n₁ = n₂, up to O(n₁ n₂) for unequal sizes ≤ 10 000, O(n) asymptotic.
 */
export function ksTest(reference: readonly number[], current: readonly number[], options: KsOptions = {}): DriftResult {
  assertNumericSample('ksTest', 'reference', reference);
  assertNumericSample('ksTest', 'current', current);
  const threshold = resolveThreshold('ksTest', options.threshold, ksDriftTest.defaultThreshold);
  const d = ksStatisticSorted(sortedCopy(reference), sortedCopy(current));
  const { statistic, pValue } = ksTwoSamplePValue(reference.length, current.length, d);
  return makeResult(ksDriftTest, statistic, threshold, pValue);
}

export const ksDriftTest: DriftTest<readonly number[], KsOptions> = {
  method: 'ks',
  displayName: 'Kolmogorov–Smirnov test',
  accepts: ['numeric'],
  defaultThreshold: 0.05,
  verdict: 'p-value-at-or-below',
  lowerPValueMeansDrift: true,
  run: ksTest,
};
