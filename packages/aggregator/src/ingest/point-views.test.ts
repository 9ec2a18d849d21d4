import { createAttributes, type ExponentialHistogramDataPoint } from '@driftwatch/otlp';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expHistogramView } from './point-views.js';

/** The range check as it was written before (one loop: first/last non-zero, total, first bad count): the oracle. */
function oracleRange(counts: readonly number[], name: string): { start: number; end: number; total: number } | string {
  let total = 0;
  let first = -1;
  let last = -1;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k] as number;
    if (!(Number.isInteger(c) && c >= 0 && c <= Number.MAX_SAFE_INTEGER)) return `${name} holds ${c}, not a count`;
    if (c !== 0) {
      if (first < 0) first = k;
      last = k;
      total += c;
    }
  }
  return first < 0 ? { start: 0, end: -1, total } : { start: first, end: last, total };
}

function point(positive: number[], negative: number[], count: number): ExponentialHistogramDataPoint {
  return {
    attributes: createAttributes(),
    startTimeUnixNano: 1n,
    timeUnixNano: 2n,
    count,
    sum: 1,
    scale: 3,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 5, bucketCounts: positive },
    negative: { offset: -2, bucketCounts: negative },
    min: 0.5,
    max: 4,
    flags: 0,
  };
}

// counts as SDKs send them (zeros, mostly at the ends) and now and then one that is not a count
const countValue = fc.oneof(
  { weight: 6, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, -0, NaN, Infinity, 2 ** 32, 2 ** 32 + 1, 2 ** 53, Number.MAX_SAFE_INTEGER) },
);

describe('expHistogramView bucket ranges', () => {
  it('narrows each range to its non-zero buckets and rejects the first bad count, as the one-loop check did', () => {
    fc.assert(
      fc.property(fc.array(countValue, { maxLength: 24 }), fc.array(countValue, { maxLength: 24 }), fc.boolean(), (positive, negative, countRight) => {
        const p = oracleRange(positive, 'positive');
        const n = oracleRange(negative, 'negative');
        const total = (typeof p === 'string' ? 0 : p.total) + (typeof n === 'string' ? 0 : n.total);
        fc.pre(total < Number.MAX_SAFE_INTEGER); // a total past 2^53 fails the point's own count check first
        const wrong = total === 0 ? 1 : total - 1;
        const view = expHistogramView(point(positive, negative, countRight ? total : wrong));
        if (typeof p === 'string') expect(view).toBe(p);
        else if (typeof n === 'string') expect(view).toBe(n);
        else if (!countRight) expect(view).toBe(`count ${wrong} differs from the buckets' total ${total}`);
        else {
          if (typeof view === 'string') throw new Error(view);
          expect([view.positive.start, view.positive.end]).toEqual(p.end < p.start ? [0, -1] : [5 + p.start, 5 + p.end]);
          expect([view.negative.start, view.negative.end]).toEqual(n.end < n.start ? [0, -1] : [-2 + n.start, -2 + n.end]);
        }
      }),
      { seed: 4242, numRuns: 2000 },
    );
  });
});
