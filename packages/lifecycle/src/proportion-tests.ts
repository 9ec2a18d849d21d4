import { normalSurvival } from './normal-distribution.js';

/**
 * One-sided two-proportion z-test, H₁: the rate of `a` exceeds the rate of `b`.
 * z = (p_a − p_b) / √(p̄(1−p̄)(1/n_a + 1/n_b)) with the pooled p̄ = (x_a + x_b)/(n_a + n_b);
 * p = P(Z > z). When p̄ is 0 or 1 the rates are equal and p = 1 (no evidence).
 * Reference: Agresti, Categorical Data Analysis (3rd ed.), §2.1. O(1).
 */
export function twoProportionGreater(successesA: number, trialsA: number, successesB: number, trialsB: number): { z: number; pValue: number } {
  for (const [name, s, n] of [['a', successesA, trialsA], ['b', successesB, trialsB]] as const) {
    if (!(n >= 1) || !Number.isFinite(n)) throw new Error(`twoProportionGreater requires at least 1 trial in ${name}`);
    if (!(s >= 0 && s <= n)) throw new Error(`twoProportionGreater requires 0 ≤ successes ≤ trials in ${name}`);
  }
  const pooled = (successesA + successesB) / (trialsA + trialsB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  if (!(se > 0)) return { z: 0, pValue: 1 };
  const z = (successesA / trialsA - successesB / trialsB) / se;
  return { z, pValue: normalSurvival(z) };
}

/**
 * Wilson score interval for a binomial proportion at normal quantile `z` (1.96 ≈ 95 % two-sided):
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
 * Reference: Wilson (1927), JASA 22:209. O(1).
 */
export function wilsonInterval(successes: number, trials: number, z: number): { low: number; high: number } {
  if (!(trials >= 1)) throw new Error('wilsonInterval requires at least 1 trial');
  if (!(successes >= 0 && successes <= trials)) throw new Error('wilsonInterval requires 0 ≤ successes ≤ trials');
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const denominator = 1 + z2 / trials;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}
