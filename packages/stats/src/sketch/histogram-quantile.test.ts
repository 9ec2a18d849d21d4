import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relativeBucketWidth } from './exponential-mapping.js';
import { ExponentialHistogram } from './exponential-histogram.js';
import { histogramQuantile } from './histogram-quantile.js';

function histogramOf(values: readonly number[], options?: { maxSize?: number; maxScale?: number }): ExponentialHistogram {
  const h = new ExponentialHistogram(options);
  h.recordMany(values);
  return h;
}

/** Inverse-CDF empirical quantile: the ⌈q·n⌉-th smallest value. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1, 2, -3, 1e-9), fc.double({ min: 1e-3, max: 1e3, noNaN: true }));
const data = fc.array(value, { minLength: 1, maxLength: 300 });
const options = fc.record({ maxSize: fc.constantFrom(4, 20, 160), maxScale: fc.constantFrom(20, 3, 0) });
const qs = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 });

describe('histogramQuantile', () => {
  it('has relative error at most base − 1 against the exact empirical quantile', () => {
    fc.assert(
      fc.property(data, options, qs, (xs, opts, probes) => {
        const h = histogramOf(xs, opts);
        const sorted = [...xs].sort((a, b) => a - b);
        const bound = relativeBucketWidth(h.scale);
        for (const q of [...probes, 0, 0.01, 0.25, 0.5, 0.75, 0.99, 1]) {
          const exact = exactQuantile(sorted, q);
          const estimate = histogramQuantile(h, q);
          if (exact === 0) expect(estimate).toBe(0);
          else expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(bound * Math.abs(exact) * (1 + 1e-9));
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('returns min and max exactly at q = 0 and q = 1, and is monotone in q', () => {
    fc.assert(
      fc.property(data, options, qs, (xs, opts, probes) => {
        const h = histogramOf(xs, opts);
        expect(histogramQuantile(h, 0)).toBe(Math.min(...xs) + 0);
        expect(histogramQuantile(h, 1)).toBe(Math.max(...xs) + 0);
        let previous = -Infinity;
        for (const q of [...probes].sort((a, b) => a - b)) {
          const v = histogramQuantile(h, q);
          expect(v).toBeGreaterThanOrEqual(previous);
          previous = v;
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('estimates the median of 1 … 1000 within 0.07 % at scale 10', () => {
    const h = histogramOf(Array.from({ length: 1000 }, (_, i) => i + 1), { maxScale: 10, maxSize: 16384 });
    expect(h.scale).toBe(10);
    expect(Math.abs(histogramQuantile(h, 0.5) - 500) / 500).toBeLessThanOrEqual(relativeBucketWidth(10));
  });

  it('throws on an empty histogram or q outside [0, 1]', () => {
    expect(() => histogramQuantile(new ExponentialHistogram(), 0.5)).toThrow('histogramQuantile requires a non-empty histogram');
    expect(() => histogramQuantile(histogramOf([1]), 1.5)).toThrow('histogramQuantile requires q in [0, 1], got 1.5');
    expect(() => histogramQuantile(histogramOf([1]), NaN)).toThrow('histogramQuantile requires q in [0, 1]');
  });
});
