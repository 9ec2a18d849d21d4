import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { ksStatisticFromBuckets } from './ks-sketch.js';
import { alignScales, prepareHistogramData } from './prepared-sketch.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import { alignedBucketCounts } from './sketch-bins.js';

/** The oracle: D̂ over the aligned per-bucket counts, the plain way (as `ksStatisticFromBuckets` was before its walk was inlined). */
function oracle(reference: PreparedHistogram, current: PreparedHistogram): number {
  const aligned = alignedBucketCounts(reference, current);
  let fr = 0;
  let fc = 0;
  let d = 0;
  aligned.reference.forEach((r, k) => {
    fr += r;
    fc += aligned.current[k] as number;
    d = Math.max(d, Math.abs(fr / reference.count - fc / current.count));
  });
  return d;
}

function prepared(values: readonly number[], maxSize: number): PreparedHistogram {
  const h = new ExponentialHistogram({ maxSize });
  h.recordMany(values);
  return prepareHistogramData(h.toData());
}

const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
  fc.constant(0),
  fc.integer({ min: -5, max: 5 }),
);

describe('ksStatisticFromBuckets', () => {
  it('equals the maximum CDF gap over the aligned bucket counts, to the last bit (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 3, max: 160 }),
        fc.boolean(),
        (xs, ys, maxSize, align) => {
          const a = prepared(xs, maxSize);
          const b = prepared(ys, maxSize);
          // aligned (one scale, the direct walk) and, when the scales differ, unaligned (the fallback)
          const [r, c] = align ? (alignScales(a, b) as [PreparedHistogram, PreparedHistogram]) : [a, b];
          expect(ksStatisticFromBuckets(r, c)).toBe(oracle(r, c));
        },
      ),
      { seed: 20261201, numRuns: 400 },
    );
  });

  it('walks disjoint ranges without visiting the gap between them', () => {
    const low = prepared([1, 1.5, 2], 160);
    const high = prepared([1e300, 2e300], 160);
    const [r, c] = alignScales(low, high) as [PreparedHistogram, PreparedHistogram];
    expect(ksStatisticFromBuckets(r, c)).toBe(1);
    expect(ksStatisticFromBuckets(prepared([-3, -2, 0], 160), prepared([-3, -2, 0], 160))).toBe(0);
  });
});
