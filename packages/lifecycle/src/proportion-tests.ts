import { logGamma } from '@driftwatch/stats';
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

const logChoose = (n: number, k: number): number => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/**
 * One-sided Fisher exact test, H₁: the rate of `a` exceeds the rate of `b`. Conditioning on both margins, with
 * K = x_a + x_b successes in N = n_a + n_b trials, X_b ~ Hypergeometric(N, K, n_b) and p = P(X_b ≤ x_b), the same
 * value as scipy's `fisher_exact([[x_a, n_a − x_a], [x_b, n_b − x_b]], alternative='greater')`.
 *
 * Exact, so a true null is rejected at most alpha of the time whatever the sample sizes and rates, which the
 * z-tests' normal tails do not give on a small, skewed sample (recall from 15 actual positives at p < 1e-4: the
 * unpooled Wald test rejects ~11× alpha, the pooled one up to ~8×; see the tests). Counts are rounded to whole
 * numbers, so a metric's successes (value × n) need not be whole.
 *
 * The tail is summed from x_b away from the mode with the pmf ratio
 * P(k−1)/P(k) = k(N−K−n_b+k) / ((K−k+1)(n_b−k+1)), stopping once a term is below 1e-17 of the sum; past the mode the
 * other tail is summed and subtracted from 1. Reference: Agresti, Categorical Data Analysis (3rd ed.), §3.5.1.
 * Cost: O(1) log-gamma calls plus O(terms that matter), about a few standard deviations of X_b.
 */
export function fisherExactGreater(successesA: number, trialsA: number, successesB: number, trialsB: number): { pValue: number } {
  for (const [name, s, n] of [['a', successesA, trialsA], ['b', successesB, trialsB]] as const) {
    if (!(Math.round(n) >= 1) || !Number.isFinite(n)) throw new Error(`fisherExactGreater requires at least 1 trial in ${name}`);
    if (!(s >= 0 && s <= n)) throw new Error(`fisherExactGreater requires 0 ≤ successes ≤ trials in ${name}`);
  }
  const na = Math.round(trialsA);
  const nb = Math.round(trialsB);
  const xa = Math.min(Math.round(successesA), na);
  const xb = Math.min(Math.round(successesB), nb);
  const total = na + nb;
  const k = xa + xb;
  const lowest = Math.max(0, k - na);
  const highest = Math.min(k, nb);
  if (xb >= highest) return { pValue: 1 };
  const pmf = (x: number): number => Math.exp(logChoose(k, x) + logChoose(total - k, nb - x) - logChoose(total, nb));
  const mode = Math.floor(((nb + 1) * (k + 1)) / (total + 2));
  if (xb <= mode) {
    // P(X ≤ x_b): from x_b down
    let term = pmf(xb);
    let sum = term;
    for (let x = xb; x > lowest && term > sum * 1e-17; x--) {
      term *= (x * (total - k - nb + x)) / ((k - x + 1) * (nb - x + 1));
      sum += term;
    }
    return { pValue: Math.min(1, sum) };
  }
  // 1 − P(X > x_b): from x_b + 1 up
  let term = pmf(xb + 1);
  let sum = term;
  for (let x = xb + 1; x < highest && term > sum * 1e-17; x++) {
    term *= ((k - x) * (nb - x)) / ((x + 1) * (total - k - nb + x + 1));
    sum += term;
  }
  return { pValue: Math.max(0, 1 - sum) };
}
