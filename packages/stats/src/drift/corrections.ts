/**
 * Multiple-testing corrections of p-values (one p-value per feature), statsmodels `multipletests` semantics.
 */

function assertPValues(name: string, pValues: readonly number[]): void {
  if (!Array.isArray(pValues)) throw new Error(`${name}: pValues must be an array`);
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || Number.isNaN(p)) throw new Error(`${name}: p-value at index ${i} is ${String(p)}`);
    if (p < 0 || p > 1) throw new Error(`${name}: p-value at index ${i} is outside [0, 1]: ${p}`);
  });
}

/**
 * Bonferroni-adjusted p-values: min(1, m·pᵢ) for m tests (statsmodels `multipletests(p, method='bonferroni')[1]`).
 * Reference: https://www.statsmodels.org/stable/generated/statsmodels.stats.multitest.multipletests.html . Cost: O(m).
 */
export function bonferroni(pValues: readonly number[]): number[] {
  assertPValues('bonferroni', pValues);
  const m = pValues.length;
  return pValues.map((p) => Math.min(1, p * m));
}

/**
 * Benjamini–Hochberg adjusted p-values (statsmodels `multipletests(p, method='fdr_bh')[1]`): with p₍ᵢ₎ ascending,
 * q₍ᵢ₎ = min_{j ≥ i} p₍ⱼ₎ / (j/m), capped at 1, returned in input order.
 * Reference: Benjamini & Hochberg (1995), JRSS B 57(1), https://doi.org/10.1111/j.2517-6161.1995.tb02031.x . Cost: O(m log m).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  assertPValues('benjaminiHochberg', pValues);
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m);
  let running = Infinity;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1] as number;
    const raw = (pValues[index] as number) / (rank / m);
    running = Math.min(running, raw);
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}
