import type { DriftResult } from '../types.js';
import type { BinningOptions } from './binning.js';
import { binSamples } from './binning.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { countTotal } from './proportions.js';
import { resolveThreshold } from './validate.js';

export interface JensenShannonOptions extends BinningOptions {
  /** Drift when the distance ≥ threshold (default 0.1). */
  readonly threshold?: number;
  /** Logarithm base (default e, as scipy's default; Evidently ≥ 0.4 passes base 2, which scales the distance by 1/√ln 2). */
  readonly base?: number;
}

/**
 * Jensen–Shannon distance over two aligned count vectors (core shared with the sketch variant), scipy
 * `spatial.distance.jensenshannon(p, q, base)`.
 *
 * Formula: with p, q the normalised vectors and m = (p + q)/2, JS = √((KL(p‖m) + KL(q‖m)) / (2 ln base)), where KL uses
 * `rel_entr` (0·ln 0 = 0). Natural log by default. No zero fill (Evidently passes `feel_zeroes=False`).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 * Cost: O(bins).
 */
export function jensenShannonFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>, base?: number): number {
  if (reference.length !== current.length) throw new Error(`jensenShannon: count vectors differ in length (${reference.length} vs ${current.length})`);
  if (base !== undefined && !(base > 0 && base !== 1 && Number.isFinite(base))) throw new Error(`jensenShannon: options.base must be a positive number other than 1, got ${base}`);
  const totalP = countTotal('jensenShannon', reference);
  const totalQ = countTotal('jensenShannon', current);
  let left = 0;
  let right = 0;
  for (let i = 0; i < reference.length; i++) {
    const pi = (reference[i] as number) / totalP;
    const qi = (current[i] as number) / totalQ;
    const mi = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / mi);
    if (qi > 0) right += qi * Math.log(qi / mi);
  }
  let js = left + right;
  if (base !== undefined) js /= Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}

/**
 * Jensen–Shannon distance between a reference and a current sample over the same bins as {@link psi}.
 * Drift when the distance ≥ threshold (default 0.1).
 * Reference: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.spatial.distance.jensenshannon.html
 * Cost: O(n log n) numeric, O(n + k log k) categorical.
 */
export function jensenShannon(reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], options: JensenShannonOptions = {}): DriftResult {
  const threshold = resolveThreshold('jensenShannon', options.threshold, jensenShannonTest.defaultThreshold);
  const bins = binSamples('jensenShannon', reference, current, options);
  return makeResult(jensenShannonTest, jensenShannonFromCounts(bins.reference, bins.current, options.base), threshold);
}

export const jensenShannonTest: DriftTest<readonly number[] | readonly string[], JensenShannonOptions> = {
  method: 'jensenshannon',
  displayName: 'Jensen–Shannon distance',
  accepts: ['numeric', 'categorical'],
  defaultThreshold: 0.1,
  verdict: 'statistic-at-or-above',
  lowerPValueMeansDrift: false,
  run: jensenShannon,
};
