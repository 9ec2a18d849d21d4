import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExponentialHistogramData } from './exponential-histogram-data.js';
import { ExponentialHistogram } from './exponential-histogram.js';
import type { ExponentialHistogramOptions } from './exponential-histogram.js';

function histogramOf(values: readonly number[], options?: ExponentialHistogramOptions): ExponentialHistogram {
  const h = new ExponentialHistogram(options);
  h.recordMany(values);
  return h;
}

/** The data of `h` brought down to `scale` (no-op when already there). */
function atScale(h: ExponentialHistogram, scale: number): ExponentialHistogramData {
  return ExponentialHistogram.fromData(h.toData(), { maxSize: h.maxSize, maxScale: Math.min(scale, h.maxScale) }).toData();
}

function buckets(d: ExponentialHistogramData): unknown {
  return { scale: d.scale, zeroCount: d.zeroCount, positive: d.positive, negative: d.negative, count: d.count };
}

function expectSumClose(actual: number, expected: number, magnitude: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, magnitude));
}

const magnitudeSum = (xs: readonly number[]): number => xs.reduce((s, x) => s + Math.abs(x), 0);

/** Mixed-sign values from very tiny to very large, with zeros, plus ordinary ranges. */
const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e150, max: 1e150 }),
  fc.double({ noNaN: true, min: -1000, max: 1000 }),
  fc.constantFrom(0, -0, 1, 2, 4, 0.5, -1, -2, 1e-300, -1e-300, 5e-324, 1e300, -1e300),
);
const values = fc.array(value, { maxLength: 200 });
const options = fc.record({ maxSize: fc.constantFrom(3, 8, 32, 160), maxScale: fc.constantFrom(20, 5, 0, -2) });

describe('ExponentialHistogram recording', () => {
  it('indexes exact powers of two into the bucket they close, at positive, zero and negative scales', () => {
    const atZero = histogramOf([1, 2, 4, 8], { maxScale: 0 }).toData();
    expect(atZero.scale).toBe(0);
    expect(atZero.positive).toEqual({ offset: -1, bucketCounts: [1, 1, 1, 1] });

    const atThree = histogramOf([1, 2], { maxScale: 3 }).toData();
    expect(atThree.positive).toEqual({ offset: -1, bucketCounts: [1, 0, 0, 0, 0, 0, 0, 0, 1] });

    const atTwenty = histogramOf([1]).toData();
    expect(atTwenty.scale).toBe(20);
    expect(atTwenty.positive).toEqual({ offset: -1, bucketCounts: [1] });

    const atMinusTwo = histogramOf([16, 17, 0.0625], { maxScale: -2 }).toData(); // base 16: (1, 16], (16, 256], (1/256, 1/16]
    expect(atMinusTwo.positive).toEqual({ offset: -2, bucketCounts: [1, 0, 1, 1] });
  });

  it('keeps negatives, zeros, subnormals and huge values; rejects NaN and ±Infinity', () => {
    const h = new ExponentialHistogram();
    for (const v of [-3, 0, -0, 5e-324, 1e-300, 1e300, -Number.MAX_VALUE, Number.MAX_VALUE]) expect(h.record(v)).toBe(true);
    for (const v of [NaN, Infinity, -Infinity]) expect(h.record(v)).toBe(false);
    expect(h.count).toBe(8);
    expect(h.zeroCount).toBe(2);
    expect(h.min).toBe(-Number.MAX_VALUE);
    expect(h.max).toBe(Number.MAX_VALUE);
    const d = h.toData();
    expect(d.positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(d.negative.bucketCounts.reduce((a, b) => a + b, 0)).toBe(2);
    // 5e-324 … 1.8e308 spans 2098 powers of two: 160 buckets need base 2^16 (scale −4)
    expect(h.scale).toBe(-4);
    expect(d.positive.bucketCounts.length).toBeLessThanOrEqual(160);
  });

  it('tracks count, sum, min and max exactly', () => {
    const h = histogramOf([3, -1.5, 10, 0.25]);
    expect(h.count).toBe(4);
    expect(h.sum).toBe(11.75);
    expect(h.min).toBe(-1.5);
    expect(h.max).toBe(10);
    expect(new ExponentialHistogram().min).toBe(Infinity);
    expect(new ExponentialHistogram().max).toBe(-Infinity);
    expect(h.recordMany([1, NaN, 2])).toBe(2);
  });

  it('downscales by the smallest change that makes a range fit maxSize', () => {
    const h = histogramOf([1, 2, 4, 8], { maxSize: 4, maxScale: 0 }); // indexes −1 … 2
    expect(h.scale).toBe(0);
    h.record(16); // index 3: span 5 > 4 → scale −1, indexes −1, 0, 0, 1, 1
    expect(h.scale).toBe(-1);
    expect(h.toData().positive).toEqual({ offset: -1, bucketCounts: [1, 2, 2] });
    h.record(2 ** 40); // scale −1 index 19 → needs scale −4 (indexes −1 … 2)
    expect(h.scale).toBe(-4);
    expect(h.toData().positive).toEqual({ offset: -1, bucketCounts: [1, 4, 0, 1] });
  });

  it('downscales when the negative range grows too, sharing one scale', () => {
    const h = histogramOf([1, 1.5], { maxSize: 4, maxScale: 2 });
    expect(h.scale).toBe(2);
    h.record(-1);
    expect(h.scale).toBe(2);
    h.record(-1000); // negative indexes −1 and 39 at scale 2: fit only at scale −2 (indexes −1 and 2)
    expect(h.scale).toBe(-2);
    const d = h.toData();
    expect(d.negative).toEqual({ offset: -1, bucketCounts: [1, 0, 0, 1] });
    expect(d.positive).toEqual({ offset: -1, bucketCounts: [1, 1] });
  });

  it('ends at the same scale and buckets whatever the recording order', () => {
    fc.assert(
      fc.property(values, options, fc.integer(), (xs, opts, seed) => {
        const shuffled = [...xs];
        let state = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as number, shuffled[i] as number];
        }
        const a = histogramOf(xs, opts).toData();
        const b = histogramOf(shuffled, opts).toData();
        expect(buckets(b)).toEqual(buckets(a));
        expect(b.min).toBe(a.min);
        expect(b.max).toBe(a.max);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('never holds more than maxSize buckets per range', () => {
    fc.assert(
      fc.property(values, options, (xs, opts) => {
        const d = histogramOf(xs, opts).toData();
        expect(d.positive.bucketCounts.length).toBeLessThanOrEqual(opts.maxSize);
        expect(d.negative.bucketCounts.length).toBeLessThanOrEqual(opts.maxSize);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('validates options, naming the field', () => {
    expect(() => new ExponentialHistogram({ maxSize: 2 })).toThrow('options.maxSize must be an integer from 3');
    expect(() => new ExponentialHistogram({ maxScale: 21 })).toThrow('options.maxScale must be an integer from -10 to 20');
    expect(() => new ExponentialHistogram({ maxScale: 1.5 })).toThrow('options.maxScale');
  });

  it('reset empties the histogram and returns to maxScale', () => {
    const h = histogramOf([1, 1e100, -5, 0], { maxSize: 8 });
    h.reset();
    expect(h.toData()).toEqual(new ExponentialHistogram({ maxSize: 8 }).toData());
    expect(h.scale).toBe(20);
  });
});

describe('ExponentialHistogram merge', () => {
  it('merge(a, b) equals recording a ∪ b, bucket for bucket, with count/sum/min/max', () => {
    fc.assert(
      fc.property(values, values, options, (xs, ys, opts) => {
        const merged = histogramOf(xs, opts).merge(histogramOf(ys, opts));
        const union = histogramOf([...xs, ...ys], opts);
        expect(buckets(merged.toData())).toEqual(buckets(union.toData()));
        expect(merged.min).toBe(union.min);
        expect(merged.max).toBe(union.max);
        expectSumClose(merged.sum, union.sum, magnitudeSum([...xs, ...ys]));
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('merges plain data and histograms of other options (downscaling to fit)', () => {
    fc.assert(
      fc.property(values, values, (xs, ys) => {
        const wide = histogramOf(xs, { maxSize: 160 });
        const narrow = new ExponentialHistogram({ maxSize: 8 });
        narrow.merge(wide.toData()).merge(histogramOf(ys, { maxSize: 160 }));
        const direct = histogramOf([...xs, ...ys], { maxSize: 8 });
        expect(buckets(narrow.toData())).toEqual(buckets(direct.toData()));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('is commutative and associative', () => {
    fc.assert(
      fc.property(values, values, values, options, (xs, ys, zs, opts) => {
        const [a, b, c] = [histogramOf(xs, opts), histogramOf(ys, opts), histogramOf(zs, opts)];
        const left = a.clone().merge(b).merge(c).toData();
        const right = c.clone().merge(b.clone().merge(a)).toData();
        expect(buckets(left)).toEqual(buckets(right));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('can merge a histogram into itself', () => {
    const h = histogramOf([1, 2, -3, 0]);
    h.merge(h);
    expect(h.count).toBe(8);
    expect(h.toData().positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('does not lower its scale for an empty histogram', () => {
    const h = histogramOf([1, 1.00001]);
    h.merge(new ExponentialHistogram({ maxScale: 0 }));
    expect(h.scale).toBe(20);
  });

  it('widens to the larger zero threshold and absorbs the buckets it overlaps', () => {
    const h = histogramOf([0.001, 0.009, 0.5, 3, -0.002], { maxScale: 0 });
    h.merge({ scale: 0, zeroCount: 1, zeroThreshold: 0.01, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] }, count: 1, sum: 0 });
    expect(h.zeroCount).toBe(4); // the merged zero plus 0.001, 0.009 and −0.002
    expect(h.zeroThreshold).toBe(2 ** -6); // upper bound of (2^-7, 2^-6], the bucket of 0.009 that 0.01 cuts
    expect(h.count).toBe(6);
    h.record(0.012);
    expect(h.zeroCount).toBe(5);
    h.record(0.02);
    expect(h.zeroCount).toBe(5);
    expect(h.toData().positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe('ExponentialHistogram diff', () => {
  it('diff(merge(a, b), a) equals b brought to the same scale', () => {
    fc.assert(
      fc.property(values, values, options, (xs, ys, opts) => {
        const a = histogramOf(xs, opts);
        const b = histogramOf(ys, opts);
        const delta = a.clone().merge(b).diff(a);
        const expected = atScale(b, delta.scale);
        expect(buckets(delta.toData())).toEqual(buckets(expected));
        expectSumClose(delta.sum, b.sum, magnitudeSum([...xs, ...ys]));
        if (ys.length === 0) {
          expect(delta.min).toBe(Infinity);
          return;
        }
        expect(delta.min).toBeLessThanOrEqual(b.min);
        expect(delta.max).toBeGreaterThanOrEqual(b.max);
        if (b.min < a.min) expect(delta.min).toBe(b.min);
        if (b.max > a.max) expect(delta.max).toBe(b.max);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('accepts plain data as previous', () => {
    const a = histogramOf([1, 2, 3]);
    const ab = a.clone().merge(histogramOf([10, -4]));
    const delta = ab.diff(a.toData());
    expect(delta.count).toBe(2);
    expect(delta.min).toBe(-4);
    expect(delta.max).toBe(10);
  });

  it('throws when previous is not contained in the current histogram', () => {
    const current = histogramOf([1, 2, 3]);
    expect(() => current.diff(histogramOf([1, 2, 3, 4]))).toThrow('previous count 4 exceeds current count 3');
    expect(() => current.diff(histogramOf([100]))).toThrow(/previous positive bucket \d+ \(scale 6\) holds 1, more than the current 0/);
    expect(() => current.diff(histogramOf([-1]))).toThrow(/previous negative bucket/);
    expect(() => current.diff(histogramOf([0]))).toThrow('previous zeroCount 1 exceeds current zeroCount 0');
  });

  it('gives an empty histogram at maxScale for identical states', () => {
    const h = histogramOf([1, 1e10, -2]);
    const delta = h.diff(h.clone());
    expect(delta.count).toBe(0);
    expect(delta.scale).toBe(20);
    expect(delta.toData()).toEqual(new ExponentialHistogram().toData());
  });
});

describe('ExponentialHistogram data', () => {
  it('fromData(toData(h)) round-trips exactly, through JSON too', () => {
    fc.assert(
      fc.property(values, options, (xs, opts) => {
        const h = histogramOf(xs, opts);
        const data = h.toData();
        expect(ExponentialHistogram.fromData(data, opts).toData()).toEqual(data);
        expect(ExponentialHistogram.fromData(JSON.parse(JSON.stringify(data)) as ExponentialHistogramData, opts).toData()).toEqual(data);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('emits min/max only when count > 0, and trims zero buckets', () => {
    expect(new ExponentialHistogram().toData()).toEqual({
      scale: 20,
      zeroCount: 0,
      zeroThreshold: 0,
      positive: { offset: 0, bucketCounts: [] },
      negative: { offset: 0, bucketCounts: [] },
      count: 0,
      sum: 0,
    });
    const h = ExponentialHistogram.fromData({ scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: -3, bucketCounts: [0, 0, 2, 0, 1, 0] }, negative: { offset: 0, bucketCounts: [0] }, count: 3, sum: 9 });
    expect(h.toData().positive).toEqual({ offset: -1, bucketCounts: [2, 0, 1] });
  });

  it('derives min/max from the outer buckets when data omits them', () => {
    const h = ExponentialHistogram.fromData({ scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: 1, bucketCounts: [1, 1] }, negative: { offset: 0, bucketCounts: [] }, count: 2, sum: 10 });
    expect(h.min).toBe(2); // bucket 1 is (2, 4]
    expect(h.max).toBe(8); // bucket 2 is (4, 8]
    const n = ExponentialHistogram.fromData({ scale: 0, zeroCount: 1, zeroThreshold: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [1] }, count: 2, sum: -1.5 });
    expect(n.min).toBe(-2);
    expect(n.max).toBe(0);
  });

  it('downscales data above maxScale or wider than maxSize', () => {
    const data = histogramOf([1.1, 1.5, 3, 100]).toData();
    const low = ExponentialHistogram.fromData(data, { maxScale: 0 });
    expect(low.scale).toBe(0);
    expect(low.toData().positive).toEqual({ offset: 0, bucketCounts: [2, 1, 0, 0, 0, 0, 1] });
    const narrow = ExponentialHistogram.fromData(data, { maxSize: 3 });
    expect(narrow.toData().positive.bucketCounts.length).toBeLessThanOrEqual(3);
  });

  it('validates data and names the field', () => {
    const good = histogramOf([1, -2, 0]).toData();
    const bad = (patch: Record<string, unknown>): ExponentialHistogramData => ({ ...good, ...patch }) as ExponentialHistogramData;
    expect(() => ExponentialHistogram.fromData(bad({ scale: 1.5 }))).toThrow('histogram.scale must be an integer from -10 to 20');
    expect(() => ExponentialHistogram.fromData(bad({ scale: 21 }))).toThrow('histogram.scale must be an integer');
    expect(() => ExponentialHistogram.fromData(bad({ zeroCount: -1 }))).toThrow('histogram.zeroCount must be a non-negative finite number');
    expect(() => ExponentialHistogram.fromData(bad({ positive: { offset: 0.5, bucketCounts: [1] } }))).toThrow('histogram.positive.offset must be a 32-bit integer');
    expect(() => ExponentialHistogram.fromData(bad({ negative: { offset: 0, bucketCounts: [1, -1] } }))).toThrow('histogram.negative.bucketCounts[1] must be a non-negative finite number');
    expect(() => ExponentialHistogram.fromData(bad({ positive: { offset: 0, bucketCounts: 'x' } }))).toThrow('histogram.positive.bucketCounts must be an array');
    expect(() => ExponentialHistogram.fromData(bad({ count: 4 }))).toThrow('histogram.count must equal zeroCount plus all bucketCounts (count 4, buckets hold 3)');
    expect(() => ExponentialHistogram.fromData(bad({ sum: NaN }))).toThrow('histogram.sum must be a number');
    expect(() => ExponentialHistogram.fromData(bad({ min: 5, max: 1 }))).toThrow('histogram.min must not exceed histogram.max');
    expect(() => ExponentialHistogram.fromData(bad({ scale: 0, positive: { offset: 1024, bucketCounts: [1] }, negative: { offset: 0, bucketCounts: [1] } }))).toThrow(
      'histogram.positive.bucketCounts[0] is bucket 1024, outside the float64 range at scale 0',
    );
    expect(() => ExponentialHistogram.fromData(null as unknown as ExponentialHistogramData)).toThrow('histogram must be an object');
    expect(() => new ExponentialHistogram().merge(bad({ scale: 'x' }))).toThrow('histogram.scale');
    expect(() => new ExponentialHistogram().diff(bad({ scale: 'x' }))).toThrow('previous.scale');
  });

  it('forEachBucket visits non-empty buckets in ascending value order', () => {
    const h = histogramOf([3, -3, 0, 0.75, -0.75, 3], { maxScale: 0 });
    const seen: Array<[number, number, number]> = [];
    h.forEachBucket((lower, upper, count) => seen.push([lower, upper, count]));
    expect(seen).toEqual([
      [-4, -2, 1],
      [-1, -0.5, 1],
      [0, 0, 1],
      [0.5, 1, 1],
      [2, 4, 2],
    ]);
  });

  it('clone is independent', () => {
    const h = histogramOf([1, 2]);
    const before = h.toData();
    const c = h.clone();
    expect(c.toData()).toEqual(before);
    c.record(1000);
    c.record(-5);
    expect(h.toData()).toEqual(before);
    expect(c.count).toBe(4);
  });
});

describe('ExponentialHistogram.toDataInto', () => {
  it('writes what toData returns into a reused data object, its arrays reused', () => {
    const into = new ExponentialHistogram().toData();
    const positive = into.positive.bucketCounts;
    const h = new ExponentialHistogram({ maxSize: 8 });
    for (const batch of [[1, 2, 3, -4, 0], [1e6, -1e-6, 7], [5]]) {
      h.recordMany(batch);
      expect(h.toDataInto(into)).toBe(into);
      expect(into).toEqual(h.toData());
      expect(into.positive.bucketCounts).toBe(positive);
    }
    h.reset();
    h.toDataInto(into);
    expect(into).toEqual(h.toData());
    expect('min' in into).toBe(false);
  });
});
