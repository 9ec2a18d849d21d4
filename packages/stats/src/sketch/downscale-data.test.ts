import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { downscaleData } from './downscale-data.js';
import { ExponentialHistogram } from './exponential-histogram.js';

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.constant(0));

describe('downscaleData', () => {
  it('equals the data of ExponentialHistogram.atScale at every lower scale', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.integer({ min: 0, max: 12 }), (xs, drop) => {
        const h = new ExponentialHistogram();
        h.recordMany(xs);
        const scale = Math.max(-10, h.scale - drop);
        const mine = downscaleData(h.toData(), scale);
        const theirs = h.atScale(scale).toData();
        const trim = (b: { offset: number; bucketCounts: number[] }): [number, number[]] => {
          let lo = 0;
          let hi = b.bucketCounts.length - 1;
          while (lo <= hi && b.bucketCounts[lo] === 0) lo++;
          while (hi >= lo && b.bucketCounts[hi] === 0) hi--;
          return lo <= hi ? [b.offset + lo, b.bucketCounts.slice(lo, hi + 1)] : [0, []];
        };
        expect({ ...mine, positive: trim(mine.positive), negative: trim(mine.negative) }).toEqual({ ...theirs, positive: trim(theirs.positive), negative: trim(theirs.negative) });
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('returns the data itself when the scale is not lower', () => {
    const d = ExponentialHistogram.fromData({ scale: 3, zeroCount: 0, zeroThreshold: 0, count: 1, sum: 2, min: 2, max: 2, positive: { offset: 7, bucketCounts: [1] }, negative: { offset: 0, bucketCounts: [] } }).toData();
    expect(downscaleData(d, 5)).toBe(d);
  });
});
