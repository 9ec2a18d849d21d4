import type { DriftResult } from '../types.js';
import type { BinningOptions } from './binning.js';
import { binSamples } from './binning.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { countTotal, zeroFillShare } from './proportions.js';
import { resolveThreshold } from './validate.js';

export interface PsiOptions extends BinningOptions {
  /** Drift when PSI ≥ threshold (default 0.1). */
  readonly threshold?: number;
}

/**
 * PSI over two aligned count vectors (the proportion-level core shared with the sketch variant).
 *
 * Formula: PSI = Σᵢ (rᵢ − cᵢ) · ln(rᵢ / cᵢ) with rᵢ, cᵢ the bin shares, empty bins of each side filled with Evidently's
 * {@link zeroFillShare}. Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/psi.py
 * Cost: O(bins).
 */
export function psiFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new Error(`psi: count vectors differ in length (${reference.length} vs ${current.length})`);
  const totalR = countTotal('psi', reference);
  const totalC = countTotal('psi', current);
  const fillR = zeroFillShare(reference, totalR);
  const fillC = zeroFillShare(current, totalC);
  let value = 0;
  for (let i = 0; i < reference.length; i++) {
    let ri = (reference[i] as number) / totalR;
    let ci = (current[i] as number) / totalC;
    if (ri === 0) ri = fillR;
    if (ci === 0) ci = fillC;
    value += (ri - ci) * Math.log(ri / ci);
  }
  return value;
}

/**
 * Population Stability Index between a reference and a current sample (numeric or categorical), Evidently's `psi`.
 *
 * Formula: Σ (rᵢ − cᵢ)·ln(rᵢ/cᵢ) over the bins of {@link binSamples} (Sturges over the combined data when the reference has
 * more than 20 distinct values, else one bin per value; categories for strings; or `{ bins: 'quantile', count }`).
 * Drift when PSI ≥ threshold (default 0.1).
 * Reference: https://www.listendata.com/2015/05/population-stability-index.html ,
 * https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/psi.py
 * Cost: O(n log n) (sorting) for numeric data, O(n + k log k) for k categories.
 */
export function psi(reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], options: PsiOptions = {}): DriftResult {
  const threshold = resolveThreshold('psi', options.threshold, psiTest.defaultThreshold);
  const bins = binSamples('psi', reference, current, options);
  return makeResult(psiTest, psiFromCounts(bins.reference, bins.current), threshold);
}

export const psiTest: DriftTest<readonly number[] | readonly string[], PsiOptions> = {
  method: 'psi',
  displayName: 'Population Stability Index',
  accepts: ['numeric', 'categorical'],
  defaultThreshold: 0.1,
  verdict: 'statistic-at-or-above',
  lowerPValueMeansDrift: false,
  run: psi,
};
