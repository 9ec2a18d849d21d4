import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sturgesEdges } from '../drift/binning.js';
import type { ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { rebinClampedBuckets } from '../sketch/rebin-histogram.js';
import { bucketAlignedEdges, occupiedRanges } from './bucket-aligned-edges.js';
import { walkHistogramPair } from './histogram-pair-walk.js';
import { ksStatisticFromBuckets } from './ks-sketch.js';
import { alignScales, prepareHistogramData } from './prepared-sketch.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import { wassersteinFromBuckets } from './wasserstein-sketch.js';

function prepared(values: readonly number[], maxSize: number): PreparedHistogram {
  const h = new ExponentialHistogram({ maxSize });
  h.recordMany(values);
  return prepareHistogramData(h.toData());
}

function aligned(a: PreparedHistogram, b: PreparedHistogram): [PreparedHistogram, PreparedHistogram] {
  return alignScales(a, b) as [PreparedHistogram, PreparedHistogram];
}

/** The per-test oracles on the same pair: KS, Wasserstein and the re-binning, each reading the clamped buckets. */
function oracles(r: PreparedHistogram, c: PreparedHistogram, edges: readonly number[]) {
  return {
    ks: ksStatisticFromBuckets(r, c),
    wasserstein: wassersteinFromBuckets(r, c),
    referenceModelMean: r.bucketMean,
    currentModelMean: c.bucketMean,
    referenceBins: rebinClampedBuckets(r.buckets, edges),
    currentBins: rebinClampedBuckets(c.buckets, edges),
  };
}

/**
 * Tolerances: KS sums the same counts in the same order (equal to the bit). Wasserstein integrates the same piecewise
 * linear function over other pieces, so rounding differs: 1e-9 relative, plus 1e-12 of the data's span for values near
 * 0. Bins are differences of cumulative counts (≤ n) instead of sums of pieces: 1e-9 of n per bin. The model means sum
 * the same midpoints (pieces instead of clamped buckets): 1e-12 of the data's span.
 */
function expectMatches(r: PreparedHistogram, c: PreparedHistogram, edges: readonly number[]): void {
  const walk = walkHistogramPair(r, c, edges);
  expect(walk).toBeDefined();
  if (!walk) return;
  const want = oracles(r, c, edges);
  expect(walk.ks).toBe(want.ks);
  const span = Math.max(Math.abs(r.min), Math.abs(r.max), Math.abs(c.min), Math.abs(c.max));
  expect(Math.abs(walk.wasserstein - want.wasserstein)).toBeLessThanOrEqual(1e-9 * want.wasserstein + 1e-12 * span);
  expect(Math.abs(walk.referenceModelMean - want.referenceModelMean)).toBeLessThanOrEqual(1e-12 * span);
  expect(Math.abs(walk.currentModelMean - want.currentModelMean)).toBeLessThanOrEqual(1e-12 * span);
  const n = Math.max(r.count, c.count);
  want.referenceBins.forEach((v, t) => expect(Math.abs((walk.referenceBins[t] as number) - v)).toBeLessThanOrEqual(1e-9 * n));
  want.currentBins.forEach((v, t) => expect(Math.abs((walk.currentBins[t] as number) - v)).toBeLessThanOrEqual(1e-9 * n));
  for (const v of [...walk.referenceBins, ...walk.currentBins]) expect(v).toBeGreaterThanOrEqual(0);
}

function combinedEdges(r: PreparedHistogram, c: PreparedHistogram): number[] {
  return sturgesEdges(Math.min(r.min, c.min), Math.max(r.max, c.max), r.count + c.count);
}

const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
  fc.double({ min: 10, max: 20, noNaN: true }),
  fc.constant(0),
  fc.integer({ min: -5, max: 5 }),
);

/** Two samples and a histogram size: the pairs the seeded walk tests run on. */
const samplePair = fc.tuple(fc.array(value, { minLength: 1, maxLength: 300 }), fc.array(value, { minLength: 1, maxLength: 300 }), fc.integer({ min: 3, max: 160 }));

describe('walkHistogramPair', () => {
  it('gives the KS, Wasserstein and re-binned counts of the per-test functions (seeded)', () => {
    let walked = 0;
    fc.assert(
      fc.property(samplePair, ([xs, ys, maxSize]) => {
        const [r, c] = aligned(prepared(xs, maxSize), prepared(ys, maxSize));
        const walk = walkHistogramPair(r, c, combinedEdges(r, c));
        // rounding may leave a min or max outside its outermost bucket: the walk then declines, the caller falls back
        if (walk === undefined) return;
        walked++;
        expectMatches(r, c, combinedEdges(r, c));
      }),
      { seed: 20261202, numRuns: 500 },
    );
    // declining is the exception, not the rule
    expect(walked).toBeGreaterThan(450);
  });

  it('with snap, moves the edges as bucketAlignedEdges does: its bins are the counts on the aligned edges (seeded)', () => {
    let walked = 0;
    fc.assert(
      fc.property(samplePair, fc.boolean(), ([xs, ys, maxSize], infiniteOuter) => {
        const [r, c] = aligned(prepared(xs, maxSize), prepared(ys, maxSize));
        const sturges = combinedEdges(r, c);
        const edges = infiniteOuter ? [-Infinity, ...sturges.slice(1, -1), Infinity] : sturges;
        const walk = walkHistogramPair(r, c, edges, true);
        if (walk === undefined) return;
        walked++;
        const scale = r.count > r.data.zeroCount ? r.data.scale : c.data.scale;
        const want = bucketAlignedEdges(edges, scale, occupiedRanges(r.data, c.data, scale));
        expect(walk.referenceBins).toHaveLength(want.length - 1);
        const n = Math.max(r.count, c.count);
        rebinClampedBuckets(r.buckets, want).forEach((v, t) => expect(Math.abs((walk.referenceBins[t] as number) - v)).toBeLessThanOrEqual(1e-9 * n));
        rebinClampedBuckets(c.buckets, want).forEach((v, t) => expect(Math.abs((walk.currentBins[t] as number) - v)).toBeLessThanOrEqual(1e-9 * n));
      }),
      { seed: 20261203, numRuns: 1000 },
    );
    expect(walked).toBeGreaterThan(900);
  });

  it('matches on smooth data of production size, with quantile-style infinite outer edges', () => {
    const random = (() => {
      let state = 7;
      return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    })();
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const xs = Array.from({ length: 20_000 }, () => 70 + 30 * normal());
    const ys = Array.from({ length: 20_000 }, () => 80 + 33 * normal());
    const [r, c] = aligned(prepared(xs, 160), prepared(ys, 160));
    expectMatches(r, c, combinedEdges(r, c));
    expectMatches(r, c, [-Infinity, 40, 70, 100, Infinity]);
    // one bin: every value in it
    const one = walkHistogramPair(r, c, [-Infinity, Infinity]);
    expect([...(one?.referenceBins ?? [])]).toEqual([r.count]);
  });

  it('handles zero buckets of different thresholds, point masses and disjoint ranges', () => {
    const data = (zeroThreshold: number, zeroCount: number, positive: number[], offset: number, min: number, max: number): ExponentialHistogramData => ({
      scale: 0,
      zeroCount,
      zeroThreshold,
      positive: { offset, bucketCounts: positive },
      negative: { offset: 0, bucketCounts: [] },
      count: zeroCount + positive.reduce((a, b) => a + b, 0),
      sum: 0,
      min,
      max,
    });
    // scale 0: bucket i is (2^i, 2^(i+1)]
    const r = prepareHistogramData(data(0.5, 3, [2, 0, 4], 0, -0.25, 7));
    const c = prepareHistogramData(data(0, 5, [1, 1], 1, 0, 6.5));
    expectMatches(r, c, [-0.25, 1, 2.5, 5, 7]);
    // untrimmed ranges (decoded OTLP may carry empty outer buckets), up to past the top of scale −9, where bucket 0
    // is (1, +Infinity] and bucket 1 is empty at [+Infinity, +Infinity]
    const padded = prepareHistogramData(data(0, 0, [0, 2, 0, 4, 0, 0], -1, 1.5, 7));
    expectMatches(padded, c, [0, 1, 2.5, 5, 7]);
    const top = { ...data(0, 0, [3, 0], 0, 2, 1e300), scale: -9 };
    const wide = prepareHistogramData(top);
    const walk = walkHistogramPair(wide, wide, [2, 1e100, 1e300]);
    expect(walk?.ks).toBe(0);
    expect(walk?.wasserstein).toBe(0);
    // ranges far apart: the gap is crossed in one step
    const low = prepared([1, 1.5, 2], 160);
    const high = prepared([1e300, 2e300], 160);
    const [a, b] = aligned(low, high);
    const apart = walkHistogramPair(a, b);
    expect(apart?.ks).toBe(1);
    expect(apart?.wasserstein).toBeCloseTo(wassersteinFromBuckets(a, b), -290);
  });

  it('declines different scales and data whose zero bucket overlaps its buckets', () => {
    const a = prepared([1, 2, 3, 4], 160);
    const b = prepared([1, 1e9], 4);
    expect(a.data.scale).not.toBe(b.data.scale);
    expect(walkHistogramPair(a, b)).toBeUndefined();
    const overlapping = prepareHistogramData({
      scale: 0,
      zeroCount: 1,
      zeroThreshold: 3,
      positive: { offset: 0, bucketCounts: [1] },
      negative: { offset: 0, bucketCounts: [] },
      count: 2,
      sum: 2.5,
      min: 0,
      max: 2,
    });
    expect(walkHistogramPair(overlapping, overlapping)).toBeUndefined();
  });
});
