import { CategoryCounts, ExponentialHistogram, fnv1a32, prepareSketch } from '@driftwatch/stats';
import type { PreparedHistogram } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { inReference, newCategoryRatio, outOfRangeRatio, outOfRangeRatioOfPrepared, singleCategory } from './data-quality.js';

describe('data quality', () => {
  it('out-of-range ratio is the window mass outside the reference [min, max]', () => {
    const h = new ExponentialHistogram();
    h.recordMany(Array.from({ length: 100 }, (_, i) => i + 1)); // 1..100
    expect(outOfRangeRatio(h, 0, 1000)).toBe(0);
    expect(outOfRangeRatio(h, 1, 100)).toBe(0);
    // 10 values above 90 and 10 below 11 → ≈ 0.2 (interpolated within buckets)
    expect(outOfRangeRatio(h, 10.5, 90.5)).toBeCloseTo(0.2, 1);
    expect(outOfRangeRatio(h, 200, 300)).toBe(1);
  });

  it('the out-of-range ratio of a prepared sketch equals that of the histogram', () => {
    const h = new ExponentialHistogram();
    h.recordMany(Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 50 + (i % 7)));
    const prepared = prepareSketch({ kind: 'numeric', histogram: h }) as PreparedHistogram;
    for (const [lo, hi] of [
      [-100, 100],
      [-10, 10],
      [-45.5, 3.25],
      [0, 0],
      [60, 70],
      [-70, -60],
    ] as const) {
      expect(outOfRangeRatioOfPrepared(prepared, lo, hi), `[${lo}, ${hi}]`).toBe(outOfRangeRatio(h, lo, hi));
    }
  });

  it('new-category ratio counts window categories absent from the reference', () => {
    const ref = new CategoryCounts({ maxExact: 2, tailBuckets: 4 });
    ref.record('a', 10);
    ref.record('b', 10);
    ref.record('c', 10); // hashed into a tail bucket
    const data = ref.toData();
    const cTail = fnv1a32('c') % 4;
    expect(inReference('a', data)).toBe(true);
    expect(inReference('c', data)).toBe(true); // exact in the window, tail in the reference
    expect(inReference(`__dw_tail_${cTail}__`, data)).toBe(true);
    expect(inReference('__dw_other__', data)).toBe(false);
    const unseen = ['z', 'y', 'x', 'w', 'v'].find((k) => fnv1a32(k) % 4 !== cTail) as string;
    expect(newCategoryRatio([['a', 6], [unseen, 2], ['__dw_other__', 2]], data)).toBeCloseTo(0.4, 12);
    expect(inReference('__proto__', data)).toBe(fnv1a32('__proto__') % 4 === cTail);
  });

  it('a single exact category is frozen, tail buckets are not', () => {
    expect(singleCategory([['a', 5]])).toBe(true);
    expect(singleCategory([['a', 5], ['b', 0]])).toBe(true);
    expect(singleCategory([['a', 5], ['b', 1]])).toBe(false);
    expect(singleCategory([['__dw_tail_3__', 5]])).toBe(false);
  });
});
