import fc from 'fast-check';
import { ExponentialHistogram, type ExponentialHistogramData } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from './byte-codec.js';
import { DecodedHistogram, HistogramAccumulator, addCumulativeDeltaFrom, encodeHistogram, histogramDataInto } from './histogram-accumulator.js';
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

/** What a stream persists of its last point: the point packed by encodeHistogram (every field, bucket for bucket). */
function packedOf(h: HistogramView): Uint8Array {
  const w = new ByteWriter(16);
  encodeHistogram(h, w);
  return w.finish();
}

function histogramOf(values: readonly number[]): ExponentialHistogram {
  const h = new ExponentialHistogram();
  h.recordMany(values);
  return h;
}

/**
 * What {@link addCumulativeDeltaFrom} must leave in a target built by `make`: `setDiff(current, previous)` merged in
 * when the delta holds values (a reset adds nothing: the caller takes the point whole), with that delta and whether
 * it was one.
 */
function deltaReference(current: ExponentialHistogram, previous: ExponentialHistogram, make: () => HistogramAccumulator): { expected: HistogramAccumulator; diff: HistogramAccumulator; ok: boolean } {
  const expected = make();
  const diff = new HistogramAccumulator();
  const ok = diff.setDiff(view(current.toData()), view(previous.toData())) === undefined;
  if (ok && (diff.count > 0 || diff.zeroCount > 0)) expected.merge(diff);
  return { expected, diff, ok };
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

  it('reused (its array kept), merges ranges extending either way exactly, zeros outside the range', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 6 }), (parts) => {
        const acc = new HistogramAccumulator();
        acc.merge(view(histogramOf([1, 1000]).toData())); // the widest span the parts can need, at the parts' scale
        acc.clear();
        const expected = new HistogramAccumulator();
        for (const part of parts) {
          acc.merge(view(histogramOf(part).toData()));
          expected.merge(view(histogramOf(part).toData()));
        }
        expect(acc.toData()).toEqual(expected.toData());
        // nothing is left outside the range
        const c = acc.positive.counts;
        for (let i = 0; i < c.length; i++) if (i + acc.positive.offset < acc.positive.start || i + acc.positive.offset > acc.positive.end) expect(c[i]).toBe(0);
      }),
      { seed: 11, numRuns: 200 },
    );
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

  it('merges encoded payloads (varint or dense, either range, into 32- or 64-bit counts) exactly like the decoded ones', () => {
    fc.assert(
      fc.property(fc.array(values, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.boolean(), (batches, dense, compact) => {
        const direct = new HistogramAccumulator(compact);
        const decoded = new HistogramAccumulator();
        for (const batch of batches) {
          const w = new ByteWriter(16);
          encodeHistogram(view(histogramOf(batch).toData()), w, dense);
          const bytes = w.finish();
          direct.mergeEncoded(new ByteReader(bytes));
          decoded.merge(new DecodedHistogram().read(new ByteReader(bytes)));
        }
        expect(direct.toData()).toEqual(decoded.toData());
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('keeps a point exactly with setTo (over any earlier content): it packs and diffs as the point itself', () => {
    fc.assert(
      fc.property(values, values, values, fc.boolean(), (earlier, first, second, shrink) => {
        const previous = histogramOf(first);
        const current = shrink ? histogramOf(second) : previous.clone();
        if (!shrink) current.recordMany(second);
        const kept = new HistogramAccumulator(true);
        kept.setTo(view(histogramOf(earlier).toData()));
        kept.setTo(view(previous.toData()));
        expect(packedOf(kept)).toEqual(packedOf(view(previous.toData())));
        const expected = new HistogramAccumulator();
        const reason = expected.setDiff(view(current.toData()), view(previous.toData()));
        const got = new HistogramAccumulator();
        expect(got.setDiff(view(current.toData()), kept)).toBe(reason);
        expect(got.toData()).toEqual(expected.toData());
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('adds a cumulative delta in one pass exactly as setDiff then merge, and keeps the current point as setTo does', () => {
    const positive = fc.array(fc.oneof(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), fc.integer({ min: 1, max: 60 })), { maxLength: 300 });
    fc.assert(
      fc.property(positive, positive, positive, fc.constantFrom('empty', 'same', 'same', 'coarser', 'coarser', 'finer', 'moments'), fc.constantFrom('none', 'none', 'fresh', 'moved'), (seen, first, second, kind, reset) => {
        const previous = histogramOf(first);
        // a reset: another point altogether, or one value moved elsewhere while the count still grows
        const current = reset === 'fresh' ? histogramOf(second) : reset === 'moved' ? histogramOf([...first.slice(1), 1e3, ...second]) : previous.clone();
        if (reset === 'none') current.recordMany(second);
        const kept = new HistogramAccumulator(true);
        kept.setTo(view(previous.toData()));
        const make = (): HistogramAccumulator => {
          const t = new HistogramAccumulator(true);
          if (kind === 'same') t.merge(view(histogramOf(first.length > 0 ? first : [5]).toData()));
          if (kind === 'coarser') t.merge(view(histogramOf([...seen, 1e-3, 1e4]).toData()));
          if (kind === 'finer') t.merge(view(histogramOf([5, 5.0001]).toData()));
          return t;
        };
        const { expected, diff, ok } = deltaReference(current, previous, make);
        const got = make();
        let calls = 0;
        const sums = { count: 0, sum: 0 };
        const target = kind === 'moments' ? { merge: (h: HistogramView): void => void ((sums.count += h.count), (sums.sum += h.sum)) } : got;
        expect(addCumulativeDeltaFrom(view(current.toData()), kept, () => (calls++, target), new HistogramAccumulator())).toBe(ok);
        expect(packedOf(kept)).toEqual(packedOf(view(current.toData())));
        if (kind === 'moments') {
          expect(sums).toEqual(ok && diff.count > 0 ? { count: diff.count, sum: diff.sum } : { count: 0, sum: 0 });
        } else expect(got.toData()).toEqual(expected.toData());
        if (ok && diff.count === 0 && diff.zeroCount === 0) expect(calls).toBe(0);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('adds the delta of points with negative values and zeros (the general path) exactly as setDiff then merge', () => {
    fc.assert(
      fc.property(values, values, fc.boolean(), (first, second, shrink) => {
        const previous = histogramOf(first);
        const current = shrink ? histogramOf(second) : previous.clone();
        if (!shrink) current.recordMany(second);
        const kept = new HistogramAccumulator(true);
        kept.setTo(view(previous.toData()));
        const make = (): HistogramAccumulator => {
          const t = new HistogramAccumulator(true);
          t.merge(view(histogramOf([-3, 0, 4]).toData()));
          return t;
        };
        const { expected, ok } = deltaReference(current, previous, make);
        const got = make();
        expect(addCumulativeDeltaFrom(view(current.toData()), kept, () => got, new HistogramAccumulator())).toBe(ok);
        expect(got.toData()).toEqual(expected.toData());
        expect(packedOf(kept)).toEqual(packedOf(view(current.toData())));
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('adds the delta of points with small and large counts, as setDiff does (cumulative counts grow)', () => {
    const grown = fc.array(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 0, max: 300_000 })), { minLength: 1, maxLength: 160 });
    fc.assert(
      fc.property(grown, fc.nat({ max: 3 }), (previousCounts, growth) => {
        const at = (counts: number[]): HistogramView => {
          const n = counts.reduce((a, b) => a + b, 0) + 1;
          return { scale: 3, zeroCount: 1, zeroThreshold: 0, count: n, sum: n, min: 1, max: 2, positive: bucketsView(8, counts), negative: bucketsView(0, []) };
        };
        const previous = at(previousCounts);
        const current = at(previousCounts.map((c, i) => c * (1 + growth) + (i % 3) * 5000));
        const kept = new HistogramAccumulator(true);
        kept.setTo(previous);
        const target = (): HistogramAccumulator => {
          const t = new HistogramAccumulator(true);
          t.merge(at(previousCounts.map(() => 1)));
          return t;
        };
        const expected = target();
        const diff = new HistogramAccumulator();
        expect(diff.setDiff(current, previous)).toBeUndefined();
        if (diff.count > 0) expected.merge(diff);
        const got = target();
        expect(addCumulativeDeltaFrom(current, kept, () => got, new HistogramAccumulator())).toBe(true);
        expect(got.toData()).toEqual(expected.toData());
        expect(packedOf(kept)).toEqual(packedOf(current));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('keeps 32-bit counts exact past 2^32 by moving them to 64 bits', () => {
    const big = 2 ** 32 + 10;
    const point: HistogramView = { scale: 0, zeroCount: 0, zeroThreshold: 0, count: big, sum: big, min: 1.5, max: 1.5, positive: bucketsView(0, [big]), negative: bucketsView(0, []) };
    const acc = new HistogramAccumulator(true);
    acc.merge(point);
    acc.merge(point);
    expect(acc.positive.counts).toBeInstanceOf(Float64Array);
    expect(acc.toData().positive.bucketCounts).toEqual([2 * big]);
    const w = new ByteWriter();
    acc.encode(w, true);
    const back = new HistogramAccumulator(true);
    back.mergeEncoded(new ByteReader(w.finish()));
    expect(back.toData()).toEqual(acc.toData());
    // and in the one-pass cumulative delta: a target bucket just below 2^32 takes a delta of 10
    const near = new HistogramAccumulator(true);
    const at = (n: number): HistogramView => ({ ...point, count: n, sum: n, positive: bucketsView(0, [n]) });
    near.merge(at(2 ** 32 - 5));
    const kept = new HistogramAccumulator(true);
    kept.setTo(at(100));
    expect(addCumulativeDeltaFrom(at(110), kept, () => near, new HistogramAccumulator())).toBe(true);
    expect(near.positive.counts).toBeInstanceOf(Float64Array);
    expect(near.toData().positive.bucketCounts).toEqual([2 ** 32 + 5]);
    expect(near.count).toBe(2 ** 32 + 5);
    // a kept point's counts move to 64 bits too, in the one-pass delta (into a 64-bit target) as in setTo
    const wide = new HistogramAccumulator();
    wide.merge(at(1));
    expect(kept.positive.counts).toBeInstanceOf(Uint32Array);
    expect(addCumulativeDeltaFrom(at(big), kept, () => wide, new HistogramAccumulator())).toBe(true);
    expect(kept.positive.counts).toBeInstanceOf(Float64Array);
    expect(kept.toData().positive.bucketCounts).toEqual([big]);
    expect(wide.toData().positive.bucketCounts).toEqual([big - 110 + 1]);
    const fresh = new HistogramAccumulator(true);
    fresh.setTo(at(big));
    expect(fresh.positive.counts).toBeInstanceOf(Float64Array);
    expect(fresh.toData()).toEqual(kept.toData());
    // a cleared compact range goes back to 32-bit counts
    acc.clear();
    acc.merge(view(histogramOf([1, 2, 3]).toData()));
    expect(acc.positive.counts).toBeInstanceOf(Uint32Array);
  });

  it('packs densely in about half the bytes, and reads into reused plain data', () => {
    const xs = Array.from({ length: 500 }, (_, i) => 50 + 10 * Math.sin(i * 1.7) * Math.cos(i / 7));
    const acc = new HistogramAccumulator();
    acc.merge(view(histogramOf(xs).toData()));
    const varint = new ByteWriter();
    acc.encode(varint);
    const dense = new ByteWriter();
    acc.encode(dense, true);
    expect(dense.length).toBeLessThan(0.75 * varint.length);
    const into = new HistogramAccumulator().toData();
    expect(histogramDataInto(acc, into)).toEqual(acc.toData());
    expect(histogramDataInto(new HistogramAccumulator(), into)).toEqual(new HistogramAccumulator().toData());
  });
});
