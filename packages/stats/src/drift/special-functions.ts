/**
 * Special functions needed by the drift tests: log-gamma, erf/erfc, the standard normal CDF and the
 * regularized upper incomplete gamma function (for chi-square survival probabilities).
 *
 * Written for double precision (relative error around 1e-14 or better over the ranges the tests use);
 * checked against scipy 1.10 tables in `fixtures/oracle.json` (`special` section).
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/** Stirling-series coefficients B_{2k} / (2k (2k − 1)), k = 1..8. */
export const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/**
 * ln Γ(x) for x > 0.
 *
 * Formula: Stirling's series `(z − ½) ln z − z + ½ ln 2π + Σ B₂ₖ / (2k(2k−1) z^{2k−1})` for z ≥ 10,
 * shifted up with Γ(x) = Γ(x + k) / (x (x+1) … (x+k−1)) below 10.
 * Reference: https://dlmf.nist.gov/5.11 . Cost: O(1).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma requires x > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  let shift = 0;
  let product = 1;
  let z = x;
  while (z < 10) {
    product *= z;
    z += 1;
    shift++;
  }
  const inv = 1 / z;
  const inv2 = inv * inv;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + (STIRLING[k] ?? 0);
  const stirling = (z - 0.5) * Math.log(z) - z + LOG_SQRT_2PI + series * inv;
  return shift === 0 ? stirling : stirling - Math.log(product);
}

/**
 * erf(x) by its everywhere-positive Maclaurin form `erf x = 2/√π · e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))`,
 * used for |x| < 2 (no cancellation); 1 − erfc(x) beyond. Reference: https://dlmf.nist.gov/7.6.E2 . Cost: O(1) (≤ ~60 terms).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 2) return Math.sign(x) * (1 - erfcLarge(ax));
  return Math.sign(x) * erfSeries(ax);
}

/**
 * erfc(x) = 1 − erf(x). For x ≥ 2 a continued fraction (Laplace), `erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))`,
 * evaluated with the modified Lentz method; below 2 it is 1 − erf(x) (relative error ≤ ~5e-14 since erfc(2) ≈ 4.7e-3).
 * Reference: https://dlmf.nist.gov/7.9.E2 . Cost: O(1) (≤ ~100 iterations).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 2) return erfcLarge(x);
  if (x <= -2) return 2 - erfcLarge(-x);
  return 1 - Math.sign(x) * erfSeries(Math.abs(x));
}

function erfSeries(ax: number): number {
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc for x ≥ 2 via the continued fraction x + (1/2)/(x + 1/(x + (3/2)/(x + …))). */
function erfcLarge(x: number): number {
  if (x > 27.3) return 0; // e^{−x²} underflows
  const tiny = 1e-300;
  // f = x + a1/(x + a2/(x + …)), a_k = k/2
  let f = x;
  let c = f;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * ONE_OVER_SQRT_PI) / f;
}

/**
 * Standard normal CDF Φ(z), evaluated the way scipy's `ndtr` (cephes) does so that `1 − Φ(|z|)` rounds like
 * scipy's (Evidently's z-test computes `2·(1 − norm.cdf(|z|))`): with t = z/√2, Φ = ½ + ½ erf(t) for |t| < 1/√2,
 * else ½ erfc(|t|) mirrored. Reference: https://dlmf.nist.gov/7.2.E2 . Cost: O(1).
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const t = z * SQRT1_2;
  const at = Math.abs(t);
  if (at < SQRT1_2) return 0.5 + 0.5 * erf(t);
  const y = 0.5 * erfc(at);
  return t > 0 ? 1 - y : y;
}

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), a > 0, x ≥ 0.
 * Series for P = 1 − Q when x < a + 1, Legendre continued fraction (modified Lentz) otherwise.
 * Reference: https://dlmf.nist.gov/8.7.E3 , https://dlmf.nist.gov/8.9.E2 . Cost: O(√a) iterations at worst.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || Number.isNaN(x) || x < 0) throw new Error(`regularizedGammaQ requires a > 0 and x ≥ 0, got a=${a}, x=${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) {
    // P(a, x) = x^a e^{-x} / Γ(a+1) · Σ x^k / ((a+1)…(a+k))
    let term = 1;
    let sum = 1;
    for (let k = 1; k < 100_000; k++) {
      term *= x / (a + k);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    const logPrefix = a * Math.log(x) - x - logGamma(a + 1);
    return Math.max(0, 1 - Math.exp(logPrefix) * sum);
  }
  // Q(a, x) = x^a e^{-x} / Γ(a) · 1/(x + 1 − a − 1·(1−a)/(x + 3 − a − 2·(2−a)/(x + 5 − a − …)))
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  return Math.min(1, Math.exp(logPrefix) * h);
}

/**
 * Chi-square survival function P(χ²_df > x) = Q(df/2, x/2) (scipy `chi2.sf`). df must be positive.
 * Reference: https://dlmf.nist.gov/8.11 (via Q). Cost: as {@link regularizedGammaQ}.
 */
export function chiSquareSf(x: number, df: number): number {
  if (!(df > 0)) throw new Error(`chiSquareSf requires df > 0, got ${df}`);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
