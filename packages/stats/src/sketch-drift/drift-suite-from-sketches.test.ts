import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DriftMethod, DriftResult } from '../types.js';
import { hellingerFromCounts } from '../drift/hellinger.js';
import { jensenShannonFromCounts } from '../drift/jensen-shannon.js';
import { ksDriftTest } from '../drift/ks.js';
import { ksTwoSamplePValue } from '../drift/ks-two-sample.js';
import { psiFromCounts } from '../drift/psi.js';
import { normWasserstein } from '../drift/wasserstein.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { driftFromSketches } from './drift-from-sketches.js';
import { driftSuiteFromSketches } from './drift-suite-from-sketches.js';
import { ksStatisticFromBuckets } from './ks-sketch.js';
import { alignScales, prepareSketch, preparedStd } from './prepared-sketch.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import { binSketches } from './sketch-bins.js';
import { meanCorrectedWasserstein, wassersteinFromBuckets } from './wasserstein-sketch.js';

const numericSketch = (values: readonly number[], maxSize = 160): FeatureSketch => {
  const histogram = new ExponentialHistogram({ maxSize });
  histogram.recordMany(values);
  return { kind: 'numeric', histogram };
};

const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: 40, max: 60, noNaN: true }),
  fc.constant(0),
  fc.integer({ min: -5, max: 5 }),
);
// (the Z-test needs binary data: it is left out of random data)
const ALL_NUMERIC: DriftMethod[] = ['psi', 'jensenshannon', 'hellinger', 'ks', 'wasserstein', 'chisquare'];

/** The per-test statistics, each from its own reader of the clamped buckets (the functions the suite's walk replaces). */
function oracle(method: DriftMethod, r: PreparedHistogram, c: PreparedHistogram, bins: 'auto' | 'quantile'): number {
  const b = () => binSketches(method, r, c, { bins });
  switch (method) {
    case 'psi':
      return psiFromCounts(b().reference, b().current);
    case 'jensenshannon':
      return jensenShannonFromCounts(b().reference, b().current);
    case 'hellinger':
      return hellingerFromCounts(b().reference, b().current);
    case 'ks':
      return ksTwoSamplePValue(r.count, c.count, ksStatisticFromBuckets(r, c)).statistic;
    case 'wasserstein':
      return normWasserstein(meanCorrectedWasserstein(r, c, wassersteinFromBuckets(r, c)), preparedStd(r));
    default:
      return driftFromSketches(method, r, c).statistic;
  }
}

/**
 * Tolerance against the per-test functions: KS and chi-square equal to the bit; the proportion tests and Wasserstein
 * to 1e-9 relative (plus 1e-12 absolute for values near 0): their bins and integral are summed in another order.
 */
function close(actual: number, expected: number): boolean {
  return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-12;
}

describe('driftSuiteFromSketches', () => {
  it('gives every method the statistic and verdict of its own sketch test (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 8, max: 160 }),
        fc.constantFrom<'auto' | 'quantile'>('auto', 'quantile'),
        (xs, ys, maxSize, bins) => {
          const ref = numericSketch(xs, maxSize);
          const cur = numericSketch(ys, maxSize);
          const suite = driftSuiteFromSketches(ALL_NUMERIC, ref, cur, { bins });
          const [r, c] = alignScales(prepareSketch(ref), prepareSketch(cur)) as [PreparedHistogram, PreparedHistogram];
          suite.forEach((result: DriftResult, k) => {
            const method = ALL_NUMERIC[k] as DriftMethod;
            expect(result.method).toBe(method);
            const want = oracle(method, r, c, bins);
            expect(close(result.statistic, want), `${method}: ${result.statistic} vs ${want}`).toBe(true);
            if (method === 'ks' || method === 'chisquare') expect(result.statistic).toBe(want);
            // one method alone gives the same result as in the suite
            expect(driftFromSketches(method, ref, cur, { bins })).toEqual(result);
          });
        },
      ),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it('runs the methods in the order given, with per-method thresholds', () => {
    const ref = numericSketch(Array.from({ length: 2000 }, (_, i) => 50 + Math.sin(i) * 20));
    const cur = numericSketch(Array.from({ length: 2000 }, (_, i) => 55 + Math.sin(i * 1.3) * 22));
    const results = driftSuiteFromSketches(['wasserstein', 'ks', 'psi'], ref, cur, { thresholds: { psi: 1e-9, ks: 0.5 } });
    expect(results.map((r) => r.method)).toEqual(['wasserstein', 'ks', 'psi']);
    expect(results[1]?.threshold).toBe(0.5);
    expect(results[1]?.threshold).not.toBe(ksDriftTest.defaultThreshold);
    expect(results[2]).toMatchObject({ threshold: 1e-9, drifted: true });
  });

  it('throws like the single tests: the first failing method, named', () => {
    const ref = numericSketch([1, 2, 3]);
    const counts = new CategoryCounts();
    counts.record('a');
    const categorical: FeatureSketch = { kind: 'categorical', counts };
    expect(() => driftSuiteFromSketches(['psi', 'mmd'], ref, ref)).toThrow(/mmdTest needs the raw vectors/);
    expect(() => driftSuiteFromSketches(['ks'], categorical, categorical)).toThrow(/ksTest accepts numeric sketches only/);
    expect(() => driftSuiteFromSketches(['psi', 'ks'], ref, categorical)).toThrow(/reference sketch is numeric but current sketch is categorical/);
    expect(() => driftSuiteFromSketches(['ks', 'psi'], ref, ref, { thresholds: { psi: Number.NaN } })).toThrow(/^psi: options\.threshold must be a finite number/);
    expect(() => driftSuiteFromSketches(['psi'], ref, ref, { bins: 'sturges' as 'auto' })).toThrow(/^psi: options\.bins must be 'auto', 'quantile' or an array of edges/);
    expect(driftSuiteFromSketches([], ref, ref)).toEqual([]);
  });
});
