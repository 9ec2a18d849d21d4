import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from './exponential-histogram.js';
import { rebinHistogram } from './rebin-histogram.js';

function histogramOf(values: readonly number[], options?: { maxSize?: number; maxScale?: number }): ExponentialHistogram {
  const h = new ExponentialHistogram(options);
  h.recordMany(values);
  return h;
}

/** Exact counts per [e_i, e_{i+1}), the last bin closed. */
function exactBins(values: readonly number[], edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length - 1).fill(0);
  for (const v of values) {
    for (let i = 0; i < out.length; i++) {
      const last = i === out.length - 1;
      if (v >= (edges[i] as number) && (v < (edges[i + 1] as number) || (last && v === edges[i + 1]))) {
        out[i] = (out[i] as number) + 1;
        break;
      }
    }
  }
  return out;
}

/** Total count of the buckets whose range [lower, upper] contains any of the given points. */
function massAt(h: ExponentialHistogram, points: readonly number[]): number {
  let mass = 0;
  h.forEachBucket((lower, upper, count) => {
    if (points.some((p) => lower <= p && p <= upper)) mass += count;
  });
  return mass;
}

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1, 2, -3), fc.double({ min: 1e-3, max: 1e3, noNaN: true }));
const data = fc.array(value, { minLength: 1, maxLength: 300 });
const options = fc.record({ maxSize: fc.constantFrom(4, 20, 160), maxScale: fc.constantFrom(20, 3, 0) });
const edges = fc
  .uniqueArray(fc.oneof(fc.double({ min: -2e6, max: 2e6, noNaN: true }), fc.constantFrom(0, 1, -Infinity, Infinity)), { minLength: 2, maxLength: 12, comparator: 'SameValueZero' })
  .map((es) => [...es].sort((a, b) => a - b));

describe('rebinHistogram', () => {
  it('is within the documented bound (mass of the buckets cut by each bin edge) of the exact counts', () => {
    fc.assert(
      fc.property(data, options, edges, (xs, opts, es) => {
        const h = histogramOf(xs, opts);
        const estimate = rebinHistogram(h, es);
        const exact = exactBins(xs, es);
        for (let i = 0; i < exact.length; i++) {
          const bound = massAt(h, [es[i] as number, es[i + 1] as number]);
          expect(Math.abs((estimate[i] as number) - (exact[i] as number))).toBeLessThanOrEqual(bound + 1e-9 * xs.length);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps every value with infinite outer edges', () => {
    fc.assert(
      fc.property(data, options, (xs, opts) => {
        const h = histogramOf(xs, opts);
        const [all] = rebinHistogram(h, [-Infinity, Infinity]);
        expect(all).toBeCloseTo(xs.length, 9);
        const split = rebinHistogram(h, [-Infinity, 0, Infinity]);
        expect((split[0] as number) + (split[1] as number)).toBeCloseTo(xs.length, 9);
        expect(split[0]).toBe(xs.filter((v) => v < 0).length); // bucket edges never straddle 0
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('is exact when the edges are bucket boundaries', () => {
    const xs = [1.5, 3, 3.5, 5, 7, 12, -1.5, -6];
    const h = histogramOf(xs, { maxScale: 0 });
    const es = [-8, -4, -2, -1, 0, 1, 2, 4, 8, 16];
    expect(rebinHistogram(h, es)).toEqual(exactBins(xs, es));
  });

  it('puts point masses (zero bucket, constant data) into the bin that holds them, last bin closed', () => {
    expect(rebinHistogram(histogramOf([0, 0, 5]), [-1, 0, 1, 10])).toEqual([0, 2, 1]);
    expect(rebinHistogram(histogramOf([7, 7, 7]), [0, 5, 7])).toEqual([0, 3]);
    expect(rebinHistogram(histogramOf([7, 7, 7]), [0, 5, 6])).toEqual([0, 0]);
    expect(rebinHistogram(histogramOf([]), [0, 1])).toEqual([0]);
  });

  it('validates the edges', () => {
    const h = histogramOf([1]);
    expect(() => rebinHistogram(h, [1])).toThrow('rebinHistogram requires at least 2 edges, got 1');
    expect(() => rebinHistogram(h, [0, 2, 1])).toThrow('rebinHistogram edges must be strictly increasing (edges[2] = 1)');
    expect(() => rebinHistogram(h, [0, 0])).toThrow('strictly increasing');
    expect(() => rebinHistogram(h, [0, NaN])).toThrow('rebinHistogram edges[1] must be a number');
  });
});
