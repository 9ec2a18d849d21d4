/**
 * Distribution of the one-sample Kolmogorov–Smirnov statistic Dₙ (two-sided), as scipy 1.10 `stats.kstwo.sf`
 * computes it. `ks_2samp` uses it for its asymptotic p-value: `kstwo.sf(D, round(n₁n₂/(n₁+n₂)))`.
 *
 * The method choice follows Simard & L'Ecuyer (2011), like scipy: Ruben–Gambino closed forms at the ends,
 * 2·Smirnov for D ≥ ½ or large n·D², the Durbin matrix (Marsaglia–Tsang–Wang) or Pomeranz recursion for
 * small n, and the Pelz–Good asymptotic series for large n.
 *
 * References:
 * - Simard, L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov–Smirnov Distribution", JSS 39(11). https://doi.org/10.18637/jss.v039.i11
 * - Marsaglia, Tsang, Wang (2003), "Evaluating Kolmogorov's Distribution", JSS 8(18). https://doi.org/10.18637/jss.v008.i18
 * - Pomeranz (1974), CACM 17(12), Algorithm 487. https://doi.org/10.1145/361604.361628
 * - Pelz, Good (1976), JRSS B 38(2), 152–156. https://doi.org/10.1111/j.2517-6161.1976.tb01575.x
 * - scipy semantics: https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.kstwo.html
 */

import { STIRLING } from './special-functions.js';

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
/** exp(x) underflows to 0 below this. */
const MIN_LOG = -708;

/** x · 2^e without intermediate overflow/underflow for large |e|. */
export function ldexp(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    r *= 2 ** -1000;
    k += 1000;
  }
  return r * 2 ** k;
}

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** ln(n! / nⁿ) by Stirling's series (n > 140 here). */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  const r2 = r * r;
  // Σ B_{2j}/(2j(2j−1)) r^{2j−1}, j = 1..8
  const c = STIRLING;
  let s = 0;
  for (let j = c.length - 1; j >= 0; j--) s = s * r2 + (c[j] ?? 0);
  return Math.log(n) / 2 - n + LOG_2PI / 2 + r * s;
}

/**
 * Survival function of the one-sided Smirnov statistic, P(Dₙ⁺ ≥ x) (scipy `special.smirnov`), by the
 * Smirnov / Birnbaum–Tingey sum `x Σ_{j=0}^{⌊n(1−x)⌋} C(n,j) (x + j/n)^{j−1} (1 − x − j/n)^{n−j}` in log space,
 * with scipy's closed forms for x ≤ 1/n and x ≥ 1 − 1/n and its `exp(−(6nx+1)²/(18n))` approximation for n > 10⁶.
 * Reference: Birnbaum & Tingey (1951), https://doi.org/10.1214/aoms/1177729550 . Cost: O(n).
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n >= 1) || !(x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  // the branch tests use the exact product n·x (as scipy's double-double `modNX`): nx + nxError
  const nx = n * x;
  const nxError = productError(n, x, nx);
  if (nx < 1 || (nx === 1 && nxError <= 0)) return 1 - x * Math.exp((n - 1) * Math.log1p(x));
  if (-2 * n * x * x < -745.1332191019412) return 0;
  if (nx > n - 1 || (nx === n - 1 && nxError >= 0)) return Math.exp(n * Math.log1p(-x));
  if (n > 1_000_000) {
    const logp = -((6 * nx + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }
  const last = Math.floor(n * (1 - x));
  let logBinom = 0; // ln C(n, j)
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const a = x + j / n;
    const b = 1 - a;
    if (b > 0) {
      const logTerm = logBinom + (j - 1) * Math.log(a) + (n - j) * Math.log1p(-a);
      if (logTerm > MIN_LOG - 40) sum += Math.exp(logTerm);
    }
    logBinom += Math.log((n - j) / (j + 1));
  }
  return clip01(sum * x);
}

/** The rounding error of p = a·b (a·b = p + error exactly), by Dekker's splitting. */
function productError(a: number, b: number, p: number): number {
  const split = (v: number): [number, number] => {
    const c = 134217729 * v;
    const hi = c - (c - v);
    return [hi, v - hi];
  };
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Durbin's matrix method with the Marsaglia–Tsang–Wang evaluation: P(Dₙ ≤ d). Cost: O(k³ log n), k = ⌈nd⌉. */
function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  // H[i][j] = ((i − j + 1)! )⁻¹ for i − j + 1 ≥ 0, with first column and last row corrected.
  const H = new Float64Array(m * m);
  const w = new Float64Array(m); // w[j] = 1/j!
  const v = new Float64Array(m); // v[j] = (1 − h^{j+1}) / (j+1)!
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] ?? 0;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] ?? 0;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] ?? 0;

  let power: Float64Array = identity(m);
  let base: Float64Array = H;
  let nn = n;
  let expnt = 0;
  let baseExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, base, m);
      expnt += baseExpnt;
    }
    base = matmul(base, base, m);
    baseExpnt *= 2;
    const diag = base[(k - 1) * m + (k - 1)] ?? 0;
    if (Math.abs(diag) > P128) {
      for (let i = 0; i < base.length; i++) base[i] = (base[i] ?? 0) / P128;
      baseExpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + (k - 1)] ?? 0;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      expnt -= E128;
    }
  }
  return clip01(ldexp(p, expnt));
}

function identity(m: number): Float64Array {
  const I = new Float64Array(m * m);
  for (let i = 0; i < m; i++) I[i * m + i] = 1;
  return I;
}

function matmul(A: Float64Array, B: Float64Array, m: number): Float64Array {
  const C = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const a = A[i * m + l] ?? 0;
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C[i * m + j] = (C[i * m + j] ?? 0) + a * (B[l * m + j] ?? 0);
    }
  }
  return C;
}

/** Pomeranz's recursion: P(Dₙ ≤ x). Cost: O(n · (nx)²). */
function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1−2g)/n)^m/m!: the (unnormalised) Poisson weights of the three interval lengths.
  const gPow = new Float64Array(size);
  const twoGPow = new Float64Array(size);
  const oneMinusTwoGPow = new Float64Array(size);
  gPow[0] = twoGPow[0] = oneMinusTwoGPow[0] = 1;
  for (let m = 1; m < size; m++) {
    gPow[m] = ((gPow[m - 1] ?? 0) * (g / n)) / m;
    twoGPow[m] = ((twoGPow[m - 1] ?? 0) * ((2 * g) / n)) / m;
    oneMinusTwoGPow[m] = ((oneMinusTwoGPow[m - 1] ?? 0) * ((1 - 2 * g) / n)) / m;
  }
  const rowRange = (i: number): [number, number] => {
    let j1: number;
    let j2: number;
    if (i === 0) {
      j1 = -ll - ceilf - 1;
      j2 = ll + ceilf - 1;
    } else {
      const half = Math.floor((i + 1) / 2);
      if ((i + 1) % 2 === 0) {
        if (half === n + 1) {
          j1 = n - ll - ceilf - 1;
          j2 = n + ll + ceilf - 1;
        } else {
          j1 = half - 1 - ll - roundf - 1;
          j2 = half + ll - 1 + ceilf - 1;
        }
      } else {
        j1 = half - 1 - ll - 1;
        j2 = half + ll + roundf - 1;
      }
    }
    return [Math.max(j1 + 2, 0), Math.min(j2, n)];
  };

  let prev = new Float64Array(size);
  let cur = new Float64Array(size);
  cur[0] = 1;
  let prevStart = 0;
  let curStart = 0;
  let expnt = 0;
  let [j1, j2] = rowRange(0);
  for (let i = 1; i <= 2 * n + 1; i++) {
    const k1 = j1;
    [prev, cur] = [cur, prev];
    [prevStart, curStart] = [curStart, prevStart];
    cur.fill(0);
    [j1, j2] = rowRange(i);
    const weights = i === 1 || i === 2 * n + 1 ? gPow : i % 2 ? twoGPow : oneMinusTwoGPow;
    const len = j2 - k1 + 1;
    if (len > 0) {
      const offset = k1 - prevStart;
      const start = j1 - k1;
      const count = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < count; c++) {
        const target = start + c; // index into the full convolution of prev[offset..offset+len) with weights[0..len)
        let s = 0;
        const lo = Math.max(0, target - len + 1);
        const hi = Math.min(target, len - 1);
        for (let a = lo; a <= hi; a++) {
          const idx = offset + a;
          if (idx >= 0 && idx < size) s += (prev[idx] ?? 0) * (weights[target - a] ?? 0);
        }
        cur[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < M128) {
        for (let c = 0; c < count; c++) cur[c] = (cur[c] ?? 0) * P128;
        expnt -= E128;
      }
      curStart = prevStart + j1 - k1;
    }
  }
  let ans = cur[n - curStart] ?? 0;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > P128) {
      ans *= M128;
      expnt += E128;
    }
    ans *= m;
  }
  return clip01(ldexp(ans, expnt));
}

/** Pelz–Good asymptotic series for P(Dₙ ≤ x). Cost: O(√n · x). */
function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  // Horner scheme over odd m = 2k − 1 of Σ c_m q^{m²}
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] ?? 0) * qp + (coeffs[i] ?? 0);
  }
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] ?? 0) * q * SQRT_2PI) / (denominators[i] ?? 1);
  // the extra sums over all integers k for K2 and K3
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qpw = Math.pow(q, k2);
    const kpi = Math.PI * k;
    k2extra += k2 * qpw;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qpw;
  }
  K[2] = (K[2] ?? 0) + (k2extra * PI2 * SQRT_2PI) / (-36 * z3);
  K[3] = (K[3] ?? 0) + (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] ?? 0) / Math.pow(n, i / 2);
  return sum;
}

/**
 * P(Dₙ ≥ x) for the two-sided one-sample KS statistic — scipy 1.10 `kstwo.sf(x, n)`, same method selection.
 * Cost: O(1) to O(n) for the closed forms and Smirnov sums, O(k³ log n) Durbin (k ≈ 1.25·n^{1/3} at most), O(n·(nx)²) Pomeranz (n ≤ 140).
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return NaN;
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0.5 / n) return 1; // below the support (scipy kstwo: x ≤ 1/(2n) → sf = 1)
  const t = n * x;
  if (t <= 1) {
    // Ruben–Gambino: P(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) ≤ x ≤ 1/n
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - kolmogorovCdfDurbin(n, x));
    if (nx2 <= 4) return clip01(1 - kolmogorovCdfPomeranz(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clip01(1 - clip01(cdf));
}
