import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramCounts, sturgesEdges } from '../drift/binning.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { lowerBoundary, mapToIndex, relativeBucketWidth } from '../sketch/exponential-mapping.js';
import { rebinHistogram } from '../sketch/rebin-histogram.js';
import type { OccupiedRanges } from './bucket-aligned-edges.js';
import { bucketAlignedEdges, occupiedRanges } from './bucket-aligned-edges.js';

/** True when `e` is ±lowerBoundary(i, scale) for some bucket index i (or 0). */
function isBoundary(e: number, scale: number): boolean {
  if (e === 0) return true;
  const i = mapToIndex(Math.abs(e), scale);
  return [i - 1, i, i + 1, i + 2].some((j) => lowerBoundary(j, scale) === Math.abs(e));
}

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 1, -3), fc.double({ min: 1e-3, max: 1e3, noNaN: true }));
const data = fc.array(value, { minLength: 2, maxLength: 400 });
const maxSize = fc.constantFrom(8, 40, 160);

/** Sturges edges of `xs`, the histogram of `xs` and its occupied ranges, as the sketch variants bin them. */
function sketched(xs: readonly number[], size: number): { h: ExponentialHistogram; sturges: number[]; occupied: OccupiedRanges } {
  const h = new ExponentialHistogram({ maxSize: size });
  h.recordMany(xs);
  return { h, sturges: sturgesEdges(Math.min(...xs), Math.max(...xs), xs.length), occupied: occupiedRanges(h.toData(), h.toData(), h.scale) };
}

/** True when `e` lies inside (not on the ends of) a bucket of the occupied ranges. */
function cutsOccupied(e: number, scale: number, occupied: OccupiedRanges): boolean {
  if (e === 0) return false;
  const ranges = e > 0 ? occupied.positive : occupied.negative;
  const i = mapToIndex(Math.abs(e), scale);
  const inside = ranges.some((first, k) => k % 2 === 0 && i >= first && i <= (ranges[k + 1] as number));
  return inside && !isBoundary(e, scale);
}

/** Everywhere: every bucket may hold values. */
const ALL: OccupiedRanges = { positive: [-2000, 2000], negative: [-2000, 2000] };

describe('bucketAlignedEdges', () => {
  it('keeps the outer edges, moves every inner edge out of the occupied buckets by at most one bucket width, strictly increasing', () => {
    fc.assert(
      fc.property(data, maxSize, (xs, size) => {
        const { h, sturges, occupied } = sketched(xs, size);
        const scale = h.scale;
        const aligned = bucketAlignedEdges(sturges, scale, occupied);
        expect(aligned[0]).toBe(sturges[0]);
        expect(aligned[aligned.length - 1]).toBe(sturges[sturges.length - 1]);
        for (let i = 1; i < aligned.length; i++) expect(aligned[i] as number).toBeGreaterThan(aligned[i - 1] as number);
        const width = relativeBucketWidth(scale);
        for (const e of aligned.slice(1, -1)) {
          expect(cutsOccupied(e, scale, occupied), `${e} at scale ${scale}`).toBe(false);
          if (!sturges.includes(e)) expect(isBoundary(e, scale), `${e} at scale ${scale}`).toBe(true);
          // the Sturges edge it came from is within one bucket of it: the bucket (lo, hi] has hi − lo ≤ width · lo
          const nearest = Math.min(...sturges.map((s) => Math.abs(s - e)));
          expect(nearest).toBeLessThanOrEqual(width * Math.abs(e) * (1 + 1e-12));
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('makes the re-binned sketches exact: their counts are the raw counts up to positive values on an edge (ranges merged or apart)', () => {
    fc.assert(
      fc.property(data, data, fc.constantFrom(1, 1e-3, 1e6), maxSize, (xs, ys, factor, size) => {
        const zs = ys.map((y) => y * factor);
        const a = new ExponentialHistogram({ maxSize: size });
        const b = new ExponentialHistogram({ maxSize: size });
        a.recordMany(xs);
        b.recordMany(zs);
        const scale = Math.min(a.scale, b.scale);
        const all = [...xs, ...zs];
        const occupied = occupiedRanges(a.toData(), b.toData(), scale);
        for (const ranges of [occupied.positive, occupied.negative]) {
          // ascending and disjoint, not touching
          for (let i = 2; i < ranges.length; i += 2) expect(ranges[i] as number).toBeGreaterThan((ranges[i - 1] as number) + 1);
        }
        const aligned = bucketAlignedEdges(sturgesEdges(Math.min(...all), Math.max(...all), all.length), scale, occupied);
        for (const [h, raw] of [[a, xs], [b, zs]] as const) {
          const sketch = rebinHistogram(h.atScale(scale), aligned);
          // numpy bins are [a, b), a positive bucket is (lo, hi]: a value on an inner edge may count one bin lower
          const onEdge = raw.filter((v) => v > 0 && aligned.slice(1, -1).includes(v)).length;
          const off = histogramCounts(raw, aligned).reduce((s, n, k) => s + Math.abs(n - (sketch[k] as number)), 0);
          expect(off).toBeLessThanOrEqual(2 * onEdge + 1e-9 * raw.length);
        }
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  it('is idempotent and leaves edges already on boundaries where they are', () => {
    fc.assert(
      fc.property(data, maxSize, (xs, size) => {
        const { h, sturges, occupied } = sketched(xs, size);
        const aligned = bucketAlignedEdges(sturges, h.scale, occupied);
        expect(bucketAlignedEdges(aligned, h.scale, occupied)).toEqual(aligned);
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('moves to the nearer boundary, drops an edge with no free boundary and keeps infinite outer edges', () => {
    // scale 0: boundaries at powers of two
    expect(bucketAlignedEdges([0.5, 2.9, 3.1, 7, 9], 0, ALL)).toEqual([0.5, 2, 4, 8, 9]);
    expect(bucketAlignedEdges([-9, -7, -3.1, -2.9, 0.2, 9], 0, ALL)).toEqual([-9, -8, -4, -2, 0.25, 9]);
    // two edges in one bucket take both of its ends
    expect(bucketAlignedEdges([1, 2.2, 2.5, 20], 0, ALL)).toEqual([1, 2, 4, 20]);
    // edges with no free boundary (taken, or at or past the outer edge) are dropped
    expect(bucketAlignedEdges([1, 2.2, 2.5, 2.8, 3.9], 0, ALL)).toEqual([1, 2, 3.9]);
    expect(bucketAlignedEdges([-Infinity, 3, 5, Infinity], 0, ALL)).toEqual([-Infinity, 2, 4, Infinity]);
    expect(bucketAlignedEdges([0, 1], 3, ALL)).toEqual([0, 1]);
  });

  it('leaves edges that cut no occupied bucket where they are', () => {
    // buckets (2, 4] and (4, 8] at scale 0 only (indexes 1 and 2); negative values none
    const occupied: OccupiedRanges = { positive: [1, 2], negative: [] };
    expect(bucketAlignedEdges([-5, -3, 1.5, 3.5, 7, 9, 20], 0, occupied)).toEqual([-5, -3, 1.5, 4, 8, 9, 20]);
    const empty = new ExponentialHistogram().toData();
    expect(occupiedRanges(empty, empty, 0)).toEqual({ positive: [], negative: [] });
    const h = new ExponentialHistogram({ maxSize: 160 });
    h.recordMany([-3, 0, 2.5, 7]);
    const data = h.toData();
    // at scale 0 (below the histogram's own) the indexes shift down: 2.5 and 7 are in buckets 1 and 2, −3 in 1
    expect(occupiedRanges(data, data, 0)).toEqual({ positive: [1, 2], negative: [1, 1] });
    // two histograms far apart keep two ranges, and an edge between them stays
    const far = new ExponentialHistogram({ maxSize: 160 });
    far.recordMany([1e200, 2e200]);
    const both = occupiedRanges(data, far.toData(), 0);
    expect(both.positive).toHaveLength(4);
    expect(bucketAlignedEdges([1, 3, 1e100, 1.5e200, 3e200], 0, both)).toEqual([1, 2, 1e100, 2 ** 665, 3e200]);
  });

  it('moves edges inside a wide zero bucket to its ends, and keeps 0 as a boundary without one', () => {
    expect(bucketAlignedEdges([-1, -0.001, 0.0004, 1], 3, ALL, 0.01)).toEqual([-1, -0.01, 0.01, 1]);
    expect(bucketAlignedEdges([-1, 0, 1], 3, ALL)).toEqual([-1, 0, 1]);
    // a boundary below the threshold is replaced by the threshold: no value lies in such a bucket
    expect(bucketAlignedEdges([0, 0.011, 1], 0, ALL, 0.01)).toEqual([0, 0.01, 1]);
  });
});
