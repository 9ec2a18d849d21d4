import type { DriftResult } from '../types.js';
import type { BinningOptions } from './binning.js';
import { binSamples } from './binning.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { countTotal } from './proportions.js';
import { resolveThreshold } from './validate.js';

export interface HellingerOptions extends BinningOptions {
  /** Drift when the distance ≥ threshold (default 0.1). */
  readonly threshold?: number;
}

/**
 * Hellinger distance over two aligned count vectors (core shared with the sketch variant).
 *
 * Formula: H = √(1 − BC), BC = Σᵢ √(pᵢ qᵢ), p and q the normalised vectors. Evaluated as the algebraically equal
 * H = √(½ Σᵢ (√pᵢ − √qᵢ)²) (equal because Σp = Σq = 1), clipped to [0, 1]: no cancellation, so identical inputs give exactly 0
 * and small distances keep full precision (1 − BC loses ~8 digits when H ≈ 1e-4).
 * Reference: https://en.wikipedia.org/wiki/Hellinger_distance . Cost: O(bins).
 */
export function hellingerFromCounts(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new Error(`hellinger: count vectors differ in length (${reference.length} vs ${current.length})`);
  const totalP = countTotal('hellinger', reference);
  const totalQ = countTotal('hellinger', current);
  let squares = 0;
  for (let i = 0; i < reference.length; i++) {
    const d = Math.sqrt((reference[i] as number) / totalP) - Math.sqrt((current[i] as number) / totalQ);
    squares += d * d;
  }
  return Math.min(1, Math.sqrt(squares / 2));
}

/**
 * Hellinger distance between a reference and a current sample over the same bins as {@link psi}
 * (Evidently bins numeric Hellinger over the distinct values instead; we keep one binning for all histogram measures).
 * Drift when the distance ≥ threshold (default 0.1).
 * Reference: https://en.wikipedia.org/wiki/Hellinger_distance . Cost: O(n log n) numeric, O(n + k log k) categorical.
 */
export function hellinger(reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], options: HellingerOptions = {}): DriftResult {
  const threshold = resolveThreshold('hellinger', options.threshold, hellingerTest.defaultThreshold);
  const bins = binSamples('hellinger', reference, current, options);
  return makeResult(hellingerTest, hellingerFromCounts(bins.reference, bins.current), threshold);
}

export const hellingerTest: DriftTest<readonly number[] | readonly string[], HellingerOptions> = {
  method: 'hellinger',
  displayName: 'Hellinger distance',
  accepts: ['numeric', 'categorical'],
  defaultThreshold: 0.1,
  verdict: 'statistic-at-or-above',
  lowerPValueMeansDrift: false,
  run: hellinger,
};
