import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DriftMethod } from '../types.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { detectDriftFromSketches } from './detect-drift-from-sketches.js';
import { driftFromSketches } from './drift-from-sketches.js';
import { prepareSketch, preparedStd } from './prepared-sketch.js';

const SETTINGS = { seed: 42, numRuns: 100 };

const numericSketch = (values: readonly number[]): FeatureSketch => {
  const histogram = new ExponentialHistogram();
  histogram.recordMany(values);
  return { kind: 'numeric', histogram };
};
const categorySketch = (values: readonly string[]): FeatureSketch => {
  const counts = new CategoryCounts();
  for (const v of values) counts.record(v);
  return { kind: 'categorical', counts };
};

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.integer({ min: -5, max: 5 }));
const numeric = fc.array(value, { minLength: 1, maxLength: 200 });
const categorical = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'é', ''), { minLength: 1, maxLength: 200 });
const NUMERIC_METHODS: DriftMethod[] = ['psi', 'jensenshannon', 'hellinger', 'ks', 'wasserstein'];

describe('drift on sketches: properties', () => {
  it('identical numeric sketches give zero drift for every method', () => {
    fc.assert(
      fc.property(numeric, (xs) => {
        for (const method of NUMERIC_METHODS) {
          const r = driftFromSketches(method, numericSketch(xs), numericSketch([...xs].reverse()));
          expect(r.statistic).toBe(0);
          expect(r.drifted).toBe(false);
        }
      }),
      SETTINGS,
    );
  });

  it('identical category sketches give zero drift and p = 1', () => {
    fc.assert(
      fc.property(categorical, (xs) => {
        for (const method of ['psi', 'jensenshannon', 'hellinger'] as const) expect(driftFromSketches(method, categorySketch(xs), categorySketch(xs)).statistic).toBe(0);
        const chi = driftFromSketches('chisquare', categorySketch(xs), categorySketch(xs));
        expect(chi.statistic).toBe(0);
        expect(chi.pValue).toBe(1);
      }),
      SETTINGS,
    );
  });

  it('PSI on sketches is never negative and does not depend on the order values were recorded in', () => {
    fc.assert(
      fc.property(numeric, numeric, (a, b) => {
        const forward = driftFromSketches('psi', numericSketch(a), numericSketch(b)).statistic;
        const backward = driftFromSketches('psi', numericSketch([...a].reverse()), numericSketch([...b].reverse())).statistic;
        expect(forward).toBeGreaterThanOrEqual(0);
        expect(backward).toBe(forward);
      }),
      SETTINGS,
    );
  });

  it('a sketch merged from parts gives the same drift as one recorded whole', () => {
    fc.assert(
      fc.property(numeric, numeric, numeric, (a, b, cur) => {
        const merged = new ExponentialHistogram().merge(numericSketch(a).kind === 'numeric' ? (numericSketch(a) as { histogram: ExponentialHistogram }).histogram : new ExponentialHistogram());
        merged.merge((numericSketch(b) as { histogram: ExponentialHistogram }).histogram);
        for (const method of NUMERIC_METHODS) {
          const fromParts = driftFromSketches(method, { kind: 'numeric', histogram: merged }, numericSketch(cur)).statistic;
          const whole = driftFromSketches(method, numericSketch([...a, ...b]), numericSketch(cur)).statistic;
          // the buckets are equal, so every statistic is to the bit, except Wasserstein's exact mean: a merged sum adds
          // the parts' sums, in another order than one running sum (a few ulps)
          if (method === 'wasserstein') expect(Math.abs(fromParts - whole)).toBeLessThanOrEqual(1e-12 * Math.abs(whole));
          else expect(fromParts).toBe(whole);
        }
      }),
      SETTINGS,
    );
  });
});

describe('drift on sketches: bad input', () => {
  it('an empty sketch is a clear error', () => {
    expect(() => driftFromSketches('psi', numericSketch([]), numericSketch([1]))).toThrow('psi requires at least 1 data point in reference, got an empty sketch');
    expect(() => detectDriftFromSketches(categorySketch(['a']), categorySketch([]))).toThrow('detectDrift requires at least 1 data point in current');
  });
  it('mismatched kinds, numeric-only tests on categories and MMD are refused by name', () => {
    expect(() => driftFromSketches('psi', numericSketch([1, 2]), categorySketch(['a']))).toThrow('psi: reference sketch is numeric but current sketch is categorical');
    expect(() => driftFromSketches('ks', categorySketch(['a']), categorySketch(['b']))).toThrow('ksTest accepts numeric sketches only');
    expect(() => driftFromSketches('mmd', numericSketch([1]), numericSketch([1]))).toThrow('mmdTest needs the raw vectors');
    expect(() => driftFromSketches('z', categorySketch(['a', 'b']), categorySketch(['c']))).toThrow('zTest requires binary data');
    expect(() => driftFromSketches('psi', numericSketch([1]), numericSketch([2]), { threshold: NaN })).toThrow('psi: options.threshold must be a finite number');
  });
});

describe('drift on sketches: details', () => {
  it('a prepared reference can be reused and gives the same results', () => {
    const ref = numericSketch(Array.from({ length: 500 }, (_, i) => Math.sin(i) * 10));
    const cur = numericSketch(Array.from({ length: 400 }, (_, i) => Math.sin(i) * 10 + 1));
    const prepared = prepareSketch(ref);
    for (const method of NUMERIC_METHODS) expect(driftFromSketches(method, prepared, cur)).toEqual(driftFromSketches(method, ref, cur));
  });

  it('a category hidden in the tail of a full sketch is compared through its tail bucket', () => {
    const ref = new CategoryCounts({ maxExact: 2, tailBuckets: 4 });
    const cur = new CategoryCounts({ maxExact: 2, tailBuckets: 4 });
    for (const c of ['x', 'y', 'late']) ref.record(c, 10);
    for (const c of ['late', 'x', 'y']) cur.record(c, 10); // 'y' is hashed on this side
    const r = driftFromSketches('jensenshannon', { kind: 'categorical', counts: ref }, { kind: 'categorical', counts: cur });
    expect(r.statistic).toBe(0);
  });

  it('uses the population std the sketch carries, else estimates it from the buckets', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i % 100) / 10);
    const ref = numericSketch(values) as { kind: 'numeric'; histogram: ExponentialHistogram };
    const p = prepareSketch(ref);
    expect(p.kind === 'numeric' && Math.abs(preparedStd(p) - 2.8866) / 2.8866).toBeLessThan(0.01);
    const given = prepareSketch({ ...ref, std: 5 });
    expect(given.kind === 'numeric' && given.std).toBe(5);
  });

  it('detectDriftFromSketches chooses like detectDrift: KS on small references, Wasserstein above 1000 rows, JS for categories', () => {
    const small = Array.from({ length: 300 }, (_, i) => i * 0.37);
    const large = Array.from({ length: 3000 }, (_, i) => i * 0.037);
    expect(detectDriftFromSketches({ ...numericSketch(small), uniqueCount: 300 } as FeatureSketch, numericSketch(small)).method).toBe('ks');
    expect(detectDriftFromSketches({ ...numericSketch(large), uniqueCount: 3000 } as FeatureSketch, numericSketch(large)).method).toBe('wasserstein');
    const cats = Array.from({ length: 1500 }, (_, i) => `c${i % 7}`);
    expect(detectDriftFromSketches(categorySketch(cats), categorySketch(cats)).method).toBe('jensenshannon');
    expect(detectDriftFromSketches(categorySketch(['a', 'b']), categorySketch(['a'])).method).toBe('z');
  });
});
