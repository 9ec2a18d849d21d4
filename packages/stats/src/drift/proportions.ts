/**
 * Count vectors → bin shares, the common first step of the proportion-based drift measures (PSI, Jensen–Shannon,
 * Hellinger) on raw samples and on sketches.
 */

/**
 * Evidently's fill for empty bins (in place): 1e-4, or (smallest non-zero share)/10⁶ when that share is ≤ 1e-4.
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/utils.py . Cost: O(bins).
 */
export function zeroFill(shares: number[]): void {
  let min = Infinity;
  for (const s of shares) if (s !== 0 && s < min) min = s;
  if (min === Infinity) return;
  const fill = min <= 0.0001 ? min / 10 ** 6 : 0.0001;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
}

/** Shares cᵢ / Σc of a count vector; throws when the total is not positive. Cost: O(bins). */
export function toShares(test: string, counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (!(total > 0)) throw new Error(`${test} requires at least 1 data point (total count ${total})`);
  const shares = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) shares[i] = (counts[i] as number) / total;
  return shares;
}
