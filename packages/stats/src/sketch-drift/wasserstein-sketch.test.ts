import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClampedBuckets } from '../sketch/clamped-buckets.js';
import { bucketsScratch, clampedBucketsOfData } from '../sketch/clamped-buckets.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { prepareHistogramData } from './prepared-sketch.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import { wassersteinFromBuckets } from './wasserstein-sketch.js';

/**
 * The oracle: the two CDF walks and the integration written the plain way (a walk object per side and a visitor per
 * breakpoint), as `wassersteinFromBuckets` was before its loop was inlined. The inlined loop must agree to the last bit.
 */
function oracle(reference: PreparedHistogram, current: PreparedHistogram): number {
  const walk = (b: ClampedBuckets) => {
    let k = 0;
    let below = 0;
    const state = { value: 0, jump: 0 };
    return (x: number) => {
      let jump = 0;
      while (k < b.count.length && (b.upper[k] as number) <= x) {
        const c = b.count[k] as number;
        if (b.upper[k] === x && b.lower[k] === x) jump += c;
        below += c;
        k++;
      }
      let value = below;
      if (k < b.count.length) {
        const lo = b.lower[k] as number;
        if (lo < x) value += ((b.count[k] as number) * (x - lo)) / ((b.upper[k] as number) - lo);
      }
      state.value = value;
      state.jump = jump;
      return state;
    };
  };
  const edges = (b: ClampedBuckets): number[] => Array.from(b.count, (_, k) => [b.lower[k] as number, b.upper[k] as number]).flat();
  const a = edges(reference.buckets);
  const d = edges(current.buckets);
  const r = walk(reference.buckets);
  const c = walk(current.buckets);
  let i = 0;
  let j = 0;
  let previous = NaN;
  let total = 0;
  let px = NaN;
  let pd = 0;
  while (i < a.length || j < d.length) {
    const ea = i < a.length ? (a[i] as number) : Infinity;
    const ed = j < d.length ? (d[j] as number) : Infinity;
    const x = ea <= ed ? ea : ed;
    if (ea <= ed) i++;
    else j++;
    if (x === previous) continue;
    previous = x;
    const rs = r(x);
    const rv = rs.value;
    const rj = rs.jump;
    const cs = c(x);
    const rb = (rv - rj) / reference.count;
    const cb = (cs.value - cs.jump) / current.count;
    if (!Number.isNaN(px)) {
      const d0 = pd;
      const d1 = rb - cb;
      const w = x - px;
      total += (d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0) ? (Math.abs(d0) + Math.abs(d1)) * 0.5 * w : ((d0 * d0 + d1 * d1) / (2 * (Math.abs(d0) + Math.abs(d1)))) * w;
    }
    px = x;
    pd = rv / reference.count - cs.value / current.count;
  }
  return total;
}

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.integer({ min: -5, max: 5 }), fc.constant(0));
const sample = fc.array(value, { minLength: 1, maxLength: 300 });

function prepared(xs: readonly number[]): PreparedHistogram {
  const h = new ExponentialHistogram();
  h.recordMany(xs);
  return prepareHistogramData(h.toData());
}

describe('wassersteinFromBuckets', () => {
  it('equals the plain two-walk integration bit for bit (zero buckets, point masses, constants, negatives included)', () => {
    fc.assert(
      fc.property(sample, sample, (xs, ys) => {
        const a = prepared(xs);
        const b = prepared(ys);
        expect(Object.is(wassersteinFromBuckets(a, b), oracle(a, b))).toBe(true);
        expect(Object.is(wassersteinFromBuckets(b, a), oracle(b, a))).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('clampedBucketsOfData with a scratch', () => {
  it('reads the same buckets into the scratch as into new arrays, across reads of different sizes', () => {
    const scratch = bucketsScratch();
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 600 }), (xs) => {
        const h = new ExponentialHistogram({ maxSize: 600 });
        h.recordMany(xs);
        const d = h.toData();
        const fresh = clampedBucketsOfData(d);
        const reused = clampedBucketsOfData(d, scratch);
        expect(Array.from(reused.lower)).toEqual(Array.from(fresh.lower));
        expect(Array.from(reused.upper)).toEqual(Array.from(fresh.upper));
        expect(Array.from(reused.count)).toEqual(Array.from(fresh.count));
        // a new read is right-sized: exactly the non-empty buckets
        expect(fresh.count.length).toBe(d.positive.bucketCounts.filter((c) => c !== 0).length + d.negative.bucketCounts.filter((c) => c !== 0).length + (d.zeroCount > 0 ? 1 : 0));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
