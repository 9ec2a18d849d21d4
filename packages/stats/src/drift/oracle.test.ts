/**
 * Conformance suite: every drift implementation against every case of `fixtures/oracle.json`
 * (written by scripts/oracle/generate.py with scipy 1.10.1 / numpy 1.24.2; Evidently's logic re-implemented in numpy).
 *
 * Tolerances and why:
 * - "exact" statistics and p-values (PSI, JS, Hellinger, normed Wasserstein, KS D, chi-square χ² and p, Z z and p, MMD²,
 *   corrections): |actual − expected| ≤ 1e-9·|expected| + 1e-12. Both sides compute the same closed formula in IEEE doubles;
 *   they differ only in summation order (numpy uses pairwise sums) and in libm's last-bit rounding of log/exp/sqrt, which
 *   is ~1e-15 relative per operation. 1e-9 leaves six orders of magnitude of headroom while still catching any formula,
 *   binning or off-by-one difference (one value moved to another bin changes PSI by ≳ 1e-4 relative). The 1e-12 absolute
 *   floor covers results that are rounding noise around 0 (e.g. √ of a sum that cancels to ~1e-17).
 * - KS p-values: 1e-6 absolute, as asked. The exact path replicates scipy's lattice-path recursions and agrees to ~1e-14;
 *   the asymptotic path evaluates the same Kolmogorov-distribution algorithms (Durbin/Pomeranz/Pelz–Good/Smirnov), but the
 *   Smirnov sum is computed in log-space doubles where scipy uses double-double arithmetic, so agreement there is ~1e-10.
 * - Special-function tables: normal CDF, chi-square survival, Smirnov and exact two-sample KS to 1e-9 relative (+1e-300
 *   absolute for underflow); Kolmogorov survival 1e-6 absolute (it is only used for KS p-values).
 * - MMD p-values come from a permutation test whose random stream cannot match numpy's; only the fixture's sanity label is
 *   checked (large shift → p ≤ 0.05, same distribution → p > 0.05).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DriftResult } from '../types.js';
import { chiSquareTest } from './chi-square.js';
import { benjaminiHochberg, bonferroni } from './corrections.js';
import { detectDrift } from './detect-drift.js';
import { hellinger } from './hellinger.js';
import { jensenShannon } from './jensen-shannon.js';
import { kolmogorovSf, smirnovSf } from './kolmogorov.js';
import { ksTest } from './ks.js';
import { ksTwoSamplePValue } from './ks-two-sample.js';
import { mmdTest, pooledRbfKernel } from './mmd.js';
import { psi } from './psi.js';
import { chiSquareSf, normalCdf } from './special-functions.js';
import { wassersteinNormed } from './wasserstein.js';
import { zTest } from './z-test.js';

type Encoded = number | 'NaN' | 'Infinity' | '-Infinity';
interface ExpectedValue {
  statistic: Encoded;
  pValue?: Encoded;
  mode?: 'exact' | 'asymptotic';
}
interface SampleCase {
  name: string;
  note: string;
  kind: 'numeric' | 'categorical';
  reference: number[] | string[];
  current: number[] | string[];
  expected: Record<string, ExpectedValue> & { detect: { method: string; threshold: number; drifted: boolean } };
}
interface VectorCase {
  name: string;
  reference: number[][];
  current: number[][];
  expected: { statistic: number; bandwidth: number; pValue: 'small' | 'not-small' | 'any' };
}
interface Oracle {
  scipy: string;
  cases: SampleCase[];
  vectorCases: VectorCase[];
  special: { normalCdf: [number, number][]; zTestPValue: [number, number][]; chiSquareSf: [number, number, number][]; kolmogorovSf: [number, number, number][]; smirnovSf: [number, number, number][]; ksExact: [number, number, number, number][] };
  corrections: { pValues: number[]; bonferroni: number[]; benjaminiHochberg: number[] }[];
}

const oracle = JSON.parse(readFileSync(new URL('../../fixtures/oracle.json', import.meta.url), 'utf8')) as Oracle;

const decode = (v: Encoded): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

const EXACT_RELATIVE = 1e-9;
const EXACT_ABSOLUTE = 1e-12;
const KS_P_ABSOLUTE = 1e-6;

function expectClose(actual: number, expected: number, relative: number, absolute: number, what: string): void {
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  const error = Math.abs(actual - expected);
  const bound = relative * Math.abs(expected) + absolute;
  if (!(error <= bound)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${error.toExponential(2)} > ${bound.toExponential(2)})`);
}

const expectExact = (actual: number, expected: number, what: string): void => expectClose(actual, expected, EXACT_RELATIVE, EXACT_ABSOLUTE, what);

/** Every implementation, keyed by the fixture's expected-value name. */
const implementations: Record<string, (c: SampleCase) => DriftResult> = {
  ks: (c) => ksTest(c.reference as number[], c.current as number[]),
  psi: (c) => psi(c.reference, c.current),
  psiQuantile: (c) => psi(c.reference, c.current, { bins: 'quantile', count: 10 }),
  jensenshannon: (c) => jensenShannon(c.reference, c.current),
  jensenshannonQuantile: (c) => jensenShannon(c.reference, c.current, { bins: 'quantile', count: 10 }),
  jensenshannonBase2: (c) => jensenShannon(c.reference, c.current, { base: 2 }),
  hellinger: (c) => hellinger(c.reference, c.current),
  wasserstein: (c) => wassersteinNormed(c.reference as number[], c.current as number[]),
  chisquare: (c) => chiSquareTest(c.reference, c.current),
  z: (c) => zTest(c.reference, c.current),
};

describe('oracle fixtures', () => {
  it(`were generated by scipy 1.10 and hold at least 30 sample cases`, () => {
    expect(oracle.scipy.startsWith('1.10')).toBe(true);
    expect(oracle.cases.length).toBeGreaterThanOrEqual(30);
  });
});

describe.each(oracle.cases)('$name ($kind)', (c) => {
  const methods = Object.keys(c.expected).filter((k) => k !== 'detect');

  it.each(methods)('%s matches the oracle', (key) => {
    const run = implementations[key];
    if (!run) throw new Error(`no implementation registered for fixture key ${key}`);
    const expected = c.expected[key] as ExpectedValue;
    const result = run(c);
    expectExact(result.statistic, decode(expected.statistic), `${c.name} ${key} statistic`);
    if (expected.pValue !== undefined) {
      const p = decode(expected.pValue);
      if (key === 'ks') expectClose(result.pValue ?? NaN, p, 0, KS_P_ABSOLUTE, `${c.name} ks p-value`);
      else expectExact(result.pValue ?? NaN, p, `${c.name} ${key} p-value`);
    }
  });

  it('detectDrift picks Evidently’s default method, threshold and verdict', () => {
    const result = detectDrift(c.reference, c.current);
    const { method, threshold, drifted } = c.expected.detect;
    expect({ method: result.method, threshold: result.threshold, drifted: result.drifted }).toEqual({ method, threshold, drifted });
    const same = c.expected[method] as ExpectedValue;
    expectExact(result.statistic, decode(same.statistic), `${c.name} detectDrift statistic`);
  });
});

describe.each(oracle.vectorCases)('$name (vectors)', (c) => {
  it('MMD² and the median-heuristic bandwidth match numpy; the p-value passes its sanity check', () => {
    expectExact(pooledRbfKernel([...c.reference, ...c.current]).bandwidth, c.expected.bandwidth, `${c.name} bandwidth`);
    const result = mmdTest(c.reference, c.current);
    expectExact(result.statistic, c.expected.statistic, `${c.name} MMD²`);
    const p = result.pValue ?? NaN;
    if (c.expected.pValue === 'small') expect(p).toBeLessThanOrEqual(0.05);
    else if (c.expected.pValue === 'not-small') expect(p).toBeGreaterThan(0.05);
    else expect(p > 0 && p <= 1).toBe(true);
  });
});

describe('special functions against scipy', () => {
  it('normal CDF (scipy.stats.norm.cdf)', () => {
    for (const [x, v] of oracle.special.normalCdf) expectClose(normalCdf(x), v, 1e-9, 1e-300, `Φ(${x})`);
  });
  it('Z-test p-value 2·(1 − Φ(|z|)) as Evidently computes it', () => {
    for (const [z, v] of oracle.special.zTestPValue) expectClose(2 * (1 - normalCdf(Math.abs(z))), v, 1e-9, 1e-300, `p(z=${z})`);
  });
  it('chi-square survival (scipy.stats.chi2.sf)', () => {
    for (const [x, df, v] of oracle.special.chiSquareSf) expectClose(chiSquareSf(x, df), v, 1e-9, 1e-300, `chi2.sf(${x}, ${df})`);
  });
  it('one-sided Smirnov survival (scipy.special.smirnov)', () => {
    for (const [n, x, v] of oracle.special.smirnovSf) expectClose(smirnovSf(n, x), v, 1e-9, 1e-300, `smirnov(${n}, ${x})`);
  });
  it('two-sided Kolmogorov survival (scipy.stats.kstwo.sf), every method branch', () => {
    for (const [n, x, v] of oracle.special.kolmogorovSf) expectClose(kolmogorovSf(n, x), v, 0, KS_P_ABSOLUTE, `kstwo.sf(${x}, ${n})`);
  });
  it('exact two-sample KS p-values (scipy _attempt_exact_2kssamp)', () => {
    for (const [n1, n2, h, v] of oracle.special.ksExact) {
      const g = gcdOf(n1, n2);
      const lcm = (n1 / g) * n2;
      const r = ksTwoSamplePValue(n1, n2, h / lcm);
      expect(r.mode).toBe('exact');
      expectClose(r.pValue, v, 1e-9, 1e-300, `exact p(${n1}, ${n2}, h=${h})`);
    }
  });
});

describe('multiple-testing corrections (statsmodels multipletests semantics)', () => {
  it.each(oracle.corrections.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    bonferroni(c.pValues).forEach((v, i) => expectExact(v, c.bonferroni[i] as number, `bonferroni[${i}]`));
    benjaminiHochberg(c.pValues).forEach((v, i) => expectExact(v, c.benjaminiHochberg[i] as number, `fdr_bh[${i}]`));
  });
});

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}
