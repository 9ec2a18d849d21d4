import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fisherExactGreater, twoProportionGreater, wilsonInterval } from './proportion-tests.js';

interface FisherCase {
  readonly successesA: number;
  readonly trialsA: number;
  readonly successesB: number;
  readonly trialsB: number;
  readonly pValue: number;
}
/** scipy's `fisher_exact(..., alternative='greater')`, written by scripts/oracle/proportion_tests.py. */
const fisherOracle = (JSON.parse(readFileSync(new URL('../fixtures/fisher-exact.json', import.meta.url), 'utf8')) as { fisherExactGreater: FisherCase[] }).fisherExactGreater;

describe('twoProportionGreater', () => {
  it('matches the pooled z-test (reference computed with scipy.stats.norm)', () => {
    const a = twoProportionGreater(30, 1000, 15, 1000);
    expect(a.z).toBeCloseTo(2.261656365159503, 12);
    expect(a.pValue).toBeCloseTo(0.011859321316095729, 12);
    const b = twoProportionGreater(5, 200, 7, 250);
    expect(b.z).toBeCloseTo(-0.19628397097133007, 12);
    expect(b.pValue).toBeCloseTo(0.5778060466633981, 12);
  });

  it('gives p = 1 when there is no variance', () => {
    expect(twoProportionGreater(0, 100, 0, 100)).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionGreater(10, 10, 5, 5)).toEqual({ z: 0, pValue: 1 });
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportionGreater(1, 0, 0, 10)).toThrow('at least 1 trial in a');
    expect(() => twoProportionGreater(11, 10, 0, 10)).toThrow('0 ≤ successes ≤ trials in a');
  });
});

describe('fisherExactGreater', () => {
  it('matches scipy fisher_exact (alternative greater) to 1e-9 relative on every oracle case', () => {
    // both sides are sums of log-gamma-based hypergeometric terms in double precision; at N = 110 000 ln Γ(N) ≈ 1.2e6,
    // whose last bit is ~2e-10, so the pmf of either can be off by a few 1e-10 relative (worst case here 1.5e-10)
    expect(fisherOracle.length).toBeGreaterThanOrEqual(20);
    for (const c of fisherOracle) {
      const { pValue } = fisherExactGreater(c.successesA, c.trialsA, c.successesB, c.trialsB);
      expect(Math.abs(pValue - c.pValue) / Math.max(c.pValue, 1e-300), JSON.stringify(c)).toBeLessThan(1e-9);
    }
  });

  it('rounds fractional successes (a metric value × its sample) and rejects impossible counts', () => {
    expect(fisherExactGreater(824.6, 1500, 3.2, 15)).toEqual(fisherExactGreater(825, 1500, 3, 15));
    // an F1 sample TP + (FP + FN)/2 of 0.5 is one row
    expect(fisherExactGreater(0, 0.5, 0, 10)).toEqual(fisherExactGreater(0, 1, 0, 10));
    expect(() => fisherExactGreater(0, 0.4, 0, 10)).toThrow('at least 1 trial in a');
    expect(() => fisherExactGreater(1, 0, 0, 10)).toThrow('at least 1 trial in a');
    expect(() => fisherExactGreater(0, 10, 11, 10)).toThrow('0 ≤ successes ≤ trials in b');
  });

  it('rejects a true null at most alpha of the time, where the z-tests do not (exact binomial enumeration)', () => {
    // canary successes k ~ Binomial(n, rate) against a primary at that rate on 1500: the false-rejection probability
    // Σ_k P(k)·[p(k) < alpha], exactly, for small skewed canaries
    const logBinomial = (n: number, k: number, p: number): number => {
      let l = 0;
      for (let i = 1; i <= n; i++) l += Math.log(i);
      for (let i = 1; i <= k; i++) l -= Math.log(i);
      for (let i = 1; i <= n - k; i++) l -= Math.log(i);
      return l + k * Math.log(p) + (n - k) * Math.log(1 - p);
    };
    const falseRate = (rate: number, n: number, alpha: number, test: (k: number) => number): number => {
      let sum = 0;
      for (let k = 0; k <= n; k++) if (test(k) < alpha) sum += Math.exp(logBinomial(n, k, rate));
      return sum;
    };
    for (const rate of [0.55, 0.8]) {
      for (const n of [15, 25, 60]) {
        for (const alpha of [0.05, 1e-3, 1e-4]) {
          const exact = falseRate(rate, n, alpha, (k) => fisherExactGreater(rate * 1500, 1500, k, n).pValue);
          expect(exact, `rate ${rate}, n ${n}, alpha ${alpha}`).toBeLessThanOrEqual(alpha);
        }
      }
    }
    // the pooled z-test on the same canaries: 7.9× alpha at rate 0.8, n 15, alpha 1e-4
    const pooled = falseRate(0.8, 15, 1e-4, (k) => twoProportionGreater(1200, 1500, k, 15).pValue);
    expect(pooled).toBeGreaterThan(5e-4);
  });
});

describe('wilsonInterval', () => {
  it('matches the Wilson score interval', () => {
    const { low, high } = wilsonInterval(180, 200, 1.96);
    expect(low).toBeCloseTo(0.8505931364369145, 12);
    expect(high).toBeCloseTo(0.9343300588284289, 12);
    const zero = wilsonInterval(0, 10, 1.96);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775401687666165, 12);
  });
  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(1, 0, 1.96)).toThrow('at least 1 trial');
  });
});
