/**
 * Count vectors → bin shares, the common first step of the proportion-based drift measures (PSI, Jensen–Shannon,
 * Hellinger) on raw samples and on sketches. The measures read shares `cᵢ / Σc` on the fly instead of building share
 * vectors: they run once per feature and window in every evaluation, where two small arrays per side cost more than
 * the arithmetic.
 */

/** Σ cᵢ of a count vector; throws when it is not positive. Cost: O(bins). */
export function countTotal(test: string, counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (!(total > 0)) throw new Error(`${test} requires at least 1 data point (total count ${total})`);
  return total;
}

/**
 * Evidently's fill for the empty bins of a share vector `cᵢ / total`: 1e-4, or (smallest non-zero share)/10⁶ when that
 * share is ≤ 1e-4 (a share that underflows to 0 counts as empty).
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/utils.py . Cost: O(bins).
 */
export function zeroFillShare(counts: ArrayLike<number>, total: number): number {
  let min = Infinity;
  for (let i = 0; i < counts.length; i++) {
    const s = (counts[i] as number) / total;
    if (s !== 0 && s < min) min = s;
  }
  return min <= 0.0001 ? min / 10 ** 6 : 0.0001;
}
