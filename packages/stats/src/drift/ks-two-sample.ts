import { kolmogorovSf } from './kolmogorov.js';

/**
 * Two-sample Kolmogorov–Smirnov statistic and p-value with scipy 1.10 `ks_2samp(..., method='auto')` semantics
 * (two-sided): exact when max(n₁, n₂) ≤ 10 000, else the asymptotic `kstwo.sf(D, round(n₁n₂/(n₁+n₂)))`.
 * (The scipy 1.10 source decides on max(n₁, n₂) ≤ MAX_AUTO_N = 10 000, not on n₁·n₂.)
 *
 * References: Hodges (1958), "The significance probability of the Smirnov two-sample test", Ark. Mat. 3, 469–486,
 * https://doi.org/10.1007/BF02589501 ; Viehmann (2021), arXiv:2102.08037 (the numerically stable 1 − p recursion);
 * https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ks_2samp.html
 */

/** Above this sample size `method='auto'` switches to the asymptotic p-value (scipy MAX_AUTO_N). */
export const KS_MAX_EXACT_N = 10_000;

export interface KsTwoSampleResult {
  /** D = sup |F₁ − F₂| (in exact mode rounded to the lattice h / lcm(n₁, n₂), as scipy returns it). */
  readonly statistic: number;
  readonly pValue: number;
  readonly mode: 'exact' | 'asymptotic';
}

/**
 * D = max over the pooled sample of |F₁(x) − F₂(x)| for two ascending-sorted samples. Cost: O(n₁ + n₂).
 */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const ai = a[i] as number;
    const bj = b[j] as number;
    const v = ai <= bj ? ai : bj;
    while (i < n1 && (a[i] as number) <= v) i++;
    while (j < n2 && (b[j] as number) <= v) j++;
    const diff = Math.abs(i / n1 - j / n2);
    if (diff > d) d = diff;
  }
  // once one sample is exhausted the gap only shrinks towards 0
  return d;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}

/** numpy's round-half-to-even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** P(D ≥ h/n) for n₁ = n₂ = n, by the alternating binomial-ratio series in Horner form. Cost: O(n). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D ≥ h/lcm) for unequal n₁, n₂: the probability that a uniformly random lattice path from (0,0) to (m,n) leaves the band
 * |x/m − y/n| < h/lcm, computed column by column as an exit probability (values stay in [0, 1], Viehmann's variant of
 * Hodges' inside method). Cost: O(m · band width) ≤ O(n₁ n₂).
 */
function probOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  // column x = 0: points (0, y) with y < h/mg are inside the band and cannot have left it
  let prevMin = 0;
  let prevMax = Math.min(Math.ceil(h / mg), n + 1);
  const size = Math.min(2 * prevMax + 2, n + 1);
  let prev = new Float64Array(Math.max(size, n + 1));
  let cur = new Float64Array(prev.length);
  const prevAt = (y: number): number => (y >= prevMin && y < prevMax ? (prev[y - prevMin] as number) : 1);
  let lo = prevMin;
  let hi = prevMax;
  for (let x = 1; x <= m; x++) {
    lo = Math.min(Math.max(Math.floor((ng * x - h) / mg) + 1, 0), n);
    hi = Math.min(Math.ceil((ng * x + h) / mg), n + 1);
    if (hi <= lo) return 1;
    // exit probability at (x, lo − 1) is 1 (outside the band) unless lo = 0 where the term has weight 0
    let below = lo === 0 ? 0 : 1;
    for (let y = lo; y < hi; y++) {
      below = (prevAt(y) * x + below * y) / (x + y);
      cur[y - lo] = below;
    }
    [prev, cur] = [cur, prev];
    prevMin = lo;
    prevMax = hi;
  }
  return prev[hi - lo - 1] as number;
}

/**
 * p-value of the two-sided two-sample KS test for sizes n₁, n₂ and statistic d, scipy 1.10 `method='auto'`.
 * Exact: Cost O(n) for n₁ = n₂, O(n₁ n₂) worst case otherwise. Asymptotic: see {@link kolmogorovSf}.
 */
export function ksTwoSamplePValue(n1: number, n2: number, d: number): KsTwoSampleResult {
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    const dLattice = h / lcm;
    if (h === 0) return { statistic: dLattice, pValue: 1, mode: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: dLattice, pValue: p, mode: 'exact' };
    // scipy falls back to the asymptotic distribution when the exact computation fails
    return asymptotic(n1, n2, dLattice);
  }
  return asymptotic(n1, n2, d);
}

function asymptotic(n1: number, n2: number, d: number): KsTwoSampleResult {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), mode: 'asymptotic' };
}
