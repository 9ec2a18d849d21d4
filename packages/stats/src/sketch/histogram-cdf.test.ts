import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from './exponential-histogram.js';
import { histogramCdf } from './histogram-cdf.js';

function histogramOf(values: readonly number[], options?: { maxSize?: number; maxScale?: number }): ExponentialHistogram {
  const h = new ExponentialHistogram(options);
  h.recordMany(values);
  return h;
}

/** The largest count among buckets whose range [lower, upper] contains x. */
function bucketMassAt(h: ExponentialHistogram, x: number): number {
  let mass = 0;
  h.forEachBucket((lower, upper, count) => {
    if (lower <= x && x <= upper) mass = Math.max(mass, count);
  });
  return mass;
}

/** Probe points: every value, midpoints between neighbours, and points outside the range. */
function probes(sorted: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    out.push(v);
    const next = sorted[i + 1];
    if (next !== undefined) out.push(v / 2 + next / 2);
  }
  out.push((sorted[0] as number) - 1, (sorted[sorted.length - 1] as number) + 1);
  return out.sort((a, b) => a - b);
}

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1, 2, -3, 1e-9), fc.double({ min: 1e-3, max: 1e3, noNaN: true }));
const data = fc.array(value, { minLength: 1, maxLength: 300 });
const options = fc.record({ maxSize: fc.constantFrom(4, 20, 160), maxScale: fc.constantFrom(20, 3, 0) });

describe('histogramCdf', () => {
  it('is within the documented bound (mass of the bucket containing x) of the exact empirical CDF', () => {
    fc.assert(
      fc.property(data, options, (xs, opts) => {
        const h = histogramOf(xs, opts);
        const sorted = [...xs].sort((a, b) => a - b);
        const n = sorted.length;
        for (const x of probes(sorted)) {
          const exact = sorted.filter((v) => v <= x).length / n;
          const estimate = histogramCdf(h, x);
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(bucketMassAt(h, x) / n + 1e-12);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('is monotone and within [0, 1]', () => {
    fc.assert(
      fc.property(data, options, fc.array(fc.double({ min: -2e6, max: 2e6, noNaN: true }), { maxLength: 50 }), (xs, opts, extra) => {
        const h = histogramOf(xs, opts);
        const points = [...probes([...xs].sort((a, b) => a - b)), ...extra].sort((a, b) => a - b);
        let previous = 0;
        for (const x of points) {
          const f = histogramCdf(h, x);
          expect(f).toBeGreaterThanOrEqual(previous);
          expect(f).toBeLessThanOrEqual(1);
          previous = f;
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('is exact outside [min, max], at the zero bucket and on bucket-aligned points', () => {
    const h = histogramOf([-1.5, 0, 0, 3, 5], { maxScale: 0 });
    expect(histogramCdf(h, -2)).toBe(0);
    expect(histogramCdf(h, 5)).toBe(1);
    expect(histogramCdf(h, 100)).toBe(1);
    expect(histogramCdf(h, 0)).toBe(3 / 5); // −1.5 and both zeros
    expect(histogramCdf(h, -1)).toBe(1 / 5); // bucket [−2, −1) clamped to [−1.5, −1): all below −1
    expect(histogramCdf(h, 4)).toBe(4 / 5); // 3 is in (2, 4]
    expect(histogramCdf(h, 4.5)).toBe(4 / 5 + (1 / 5) * 0.5 / 1); // (4, 8] clamped to (4, 5]
  });

  it('interpolates linearly inside a bucket', () => {
    const h = histogramOf([1.25, 1.5, 1.75, 1.9], { maxScale: 0 }); // all in (1, 2], clamped to [1.25, 1.9]
    expect(histogramCdf(h, 1.25 + 0.65 / 2)).toBeCloseTo(0.5, 12);
  });

  it('throws on an empty histogram or NaN', () => {
    expect(() => histogramCdf(new ExponentialHistogram(), 1)).toThrow('histogramCdf requires a non-empty histogram');
    expect(() => histogramCdf(histogramOf([1]), NaN)).toThrow('histogramCdf requires x to be a number');
  });
});
