import fc from 'fast-check';
import { ExponentialHistogram, type ExponentialHistogramData } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from './byte-codec.js';
import { DecodedHistogram, HistogramAccumulator } from './histogram-accumulator.js';
import { bucketsView, type HistogramView } from './histogram-view.js';

function view(d: ExponentialHistogramData): HistogramView {
  return {
    scale: d.scale,
    zeroCount: d.zeroCount,
    zeroThreshold: d.zeroThreshold,
    count: d.count,
    sum: d.sum,
    min: d.min ?? Infinity,
    max: d.max ?? -Infinity,
    positive: bucketsView(d.positive.offset, d.positive.bucketCounts),
    negative: bucketsView(d.negative.offset, d.negative.bucketCounts),
  };
}

function histogramOf(values: readonly number[]): ExponentialHistogram {
  const h = new ExponentialHistogram();
  h.recordMany(values);
  return h;
}

const values = fc.array(
  fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.constant(0), fc.integer({ min: -50, max: 50 })),
  { maxLength: 300 },
);

describe('HistogramAccumulator', () => {
  it('merges exactly like the stats ExponentialHistogram', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 6 }), (batches) => {
        const acc = new HistogramAccumulator();
        const expected = new ExponentialHistogram();
        for (const batch of batches) {
          const h = histogramOf(batch);
          acc.merge(view(h.toData()));
          expected.merge(h);
        }
        expect(acc.toData()).toEqual(expected.toData());
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('diffs exactly like the stats diff (cumulative → delta)', () => {
    fc.assert(
      fc.property(values, values, (first, second) => {
        const previous = histogramOf(first);
        const current = previous.clone();
        current.recordMany(second);
        const acc = new HistogramAccumulator();
        expect(acc.setDiff(view(current.toData()), view(previous.toData()))).toBeUndefined();
        expect(acc.toData()).toEqual(current.diff(previous).toData());
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('reports a reset when the previous point is not contained in the current one', () => {
    const previous = histogramOf([1, 2, 3, 4]);
    const current = histogramOf([1, 2]);
    const acc = new HistogramAccumulator();
    expect(acc.setDiff(view(current.toData()), view(previous.toData()))).toBe('count decreased');
    expect(acc.isEmpty).toBe(true);
    const moved = histogramOf([1, 2, 3, 100]);
    expect(acc.setDiff(view(moved.toData()), view(histogramOf([1, 2, 3, 4]).toData()))).toBe('bucket count decreased');
  });

  it('round-trips through the compact encoding', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const acc = new HistogramAccumulator();
        acc.merge(view(histogramOf(xs).toData()));
        const w = new ByteWriter(16);
        acc.encode(w);
        const bytes = w.finish();
        const decoded = new HistogramAccumulator();
        decoded.mergeEncoded(new ByteReader(bytes));
        expect(decoded.toData()).toEqual(acc.toData());
        const d = new DecodedHistogram().read(new ByteReader(bytes));
        expect(d.count).toBe(acc.count);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('keeps at most 160 buckets per range and only allocates the spanned range', () => {
    const acc = new HistogramAccumulator();
    acc.merge(view(histogramOf([3, 3, 3]).toData()));
    expect(acc.positive.counts.length).toBe(1);
    acc.merge(view(histogramOf([1e-9, 1e9]).toData()));
    expect(acc.positive.end - acc.positive.start + 1).toBeLessThanOrEqual(160);
    expect(acc.count).toBe(5);
    expect(acc.toData()).toEqual(histogramOf([3, 3, 3]).merge(histogramOf([1e-9, 1e9])).toData());
  });

  it('encodes a smooth 5 000-value distribution in about a byte per bucket', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => 50 + 10 * Math.sin(i) * Math.cos(i / 7));
    const acc = new HistogramAccumulator();
    acc.merge(view(histogramOf(xs).toData()));
    const w = new ByteWriter();
    acc.encode(w);
    const buckets = acc.positive.end - acc.positive.start + 1;
    expect(w.length).toBeLessThan(buckets * 2 + 48);
  });

  it('rejects corrupt encodings with a RangeError', () => {
    expect(() => new DecodedHistogram().read(new ByteReader(new Uint8Array([0x80])))).toThrow(RangeError);
    const w = new ByteWriter();
    w.uvarint(1);
    w.svarint(99);
    expect(() => new DecodedHistogram().read(new ByteReader(w.finish()))).toThrow(RangeError);
  });
});
