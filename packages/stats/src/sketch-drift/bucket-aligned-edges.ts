import type { BoundaryRun } from '../sketch/boundary-cache.js';
import { boundariesCovering } from '../sketch/boundary-cache.js';
import type { ExponentialHistogramBuckets, ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';

/**
 * The bucket indexes histograms hold values in at one scale, per sign, as flat `[first₀, last₀, first₁, last₁, …]`
 * index ranges, one per histogram that has buckets of that sign (kept apart: two narrow ranges far from each other
 * would make one huge one). Only edges inside these ranges can cut a bucket that holds values.
 */
export interface OccupiedRanges {
  readonly positive: readonly number[];
  readonly negative: readonly number[];
}

/** One side's non-empty index range at `scale` (≤ its own) appended to `into`. */
function appendRange(into: number[], buckets: ExponentialHistogramBuckets, shift: number): void {
  const counts = buckets.bucketCounts;
  let lo = 0;
  let hi = counts.length - 1;
  while (lo <= hi && counts[lo] === 0) lo++;
  while (hi >= lo && counts[hi] === 0) hi--;
  if (lo <= hi) into.push((buckets.offset + lo) >> shift, (buckets.offset + hi) >> shift);
}

/**
 * The {@link OccupiedRanges} of histograms at `scale`, which must not exceed any of their scales, written into `into`
 * (emptied first; a caller's scratch) or new arrays. Cost: O(buckets).
 */
export function occupiedRanges(histograms: readonly ExponentialHistogramData[], scale: number, into?: { positive: number[]; negative: number[] }): OccupiedRanges {
  const positive = into?.positive ?? [];
  const negative = into?.negative ?? [];
  positive.length = 0;
  negative.length = 0;
  for (const h of histograms) {
    appendRange(positive, h.positive, h.scale - scale);
    appendRange(negative, h.negative, h.scale - scale);
  }
  return into ?? { positive, negative };
}

/**
 * Bin edges moved onto bucket boundaries, so that a histogram re-binned onto them is exact: each inner edge that falls
 * inside a bucket of the occupied ranges goes to the nearer end of that bucket at `scale` (±2^(i·2^−scale)), or to
 * ±`zeroThreshold` inside a wide zero bucket; other edges (in no bucket that can hold a value, or on a boundary) and the
 * outer edges stay where they are. Then no bucket holding values is cut, and the bin counts of the histograms are the
 * counts of their raw values — except a positive value lying exactly on an edge, which its bucket `(lo, hi]` puts in the
 * bin below while `[a, b)` bins put it in the bin above (negative buckets `[−hi, −lo)` agree with `[a, b)`).
 *
 * This is what the sketch variants of PSI, Jensen–Shannon and Hellinger bin on: the Sturges (or reference-quantile)
 * edges the raw-sample tests use, each moved by less than one bucket width — at most `2^(2^−scale) − 1` of its
 * magnitude (9 % at scale 3). The raw-sample tests on the moved edges (`psi(ref, cur, { bins: edges })`) give the
 * sketch's values; how far the moved edges change the statistics from Evidently's is measured in
 * `edge-sensitivity.test.ts` (README of this folder).
 *
 * An edge whose nearer bucket end is not strictly between the outer edges and above the previous moved edge takes the
 * farther end; with neither it is dropped, merging two bins — only where bins are narrower than buckets.
 *
 * Input: at least 2 strictly increasing edges (outer edges may be infinite), as `numericEdges` makes them.
 * Cost: O(edges + buckets): the boundaries come from the shared cache (`boundariesCovering`) and each range's search
 * goes on from where the last one ended; no logarithm.
 */
export function bucketAlignedEdges(edges: readonly number[], scale: number, occupied: OccupiedRanges, zeroThreshold = 0): number[] {
  return alignEdgesInPlace([...edges], scale, occupied, zeroThreshold);
}

/**
 * {@link bucketAlignedEdges} done on `edges` itself — the caller's own fresh array, as `numericEdges` makes it — which is
 * returned, shortened by the edges dropped: allocating nothing matters in the aggregator's per-feature evaluation.
 */
export function alignEdgesInPlace(edges: number[], scale: number, occupied: OccupiedRanges, zeroThreshold = 0): number[] {
  const shared = sharedRun(occupied, scale);
  const negativeBase = occupied.positive.length >> 1;
  const slots = negativeBase + (occupied.negative.length >> 1);
  if (cursors.length < slots) cursors = new Int32Array(2 * slots);
  cursors.fill(-1, 0, slots);
  const last = edges.length - 1;
  const high = edges[last] as number;
  // edges[0 … kept − 1] are the edges decided so far (kept ≤ t: writing never overtakes reading)
  let kept = 1;
  for (let t = 1; t < last; t++) {
    const e = edges[t] as number;
    const previous = edges[kept - 1] as number;
    const magnitude = Math.abs(e);
    let lo: number;
    let hi: number;
    if (magnitude < zeroThreshold) {
      lo = -zeroThreshold;
      hi = zeroThreshold;
    } else if (!(e > 0 ? inOccupiedBucket(magnitude, scale, occupied.positive, shared, 0) : inOccupiedBucket(magnitude, scale, occupied.negative, shared, negativeBase))) {
      // on a boundary, or in no bucket that can hold a value: moving it would change no count
      if (e > previous) edges[kept++] = e;
      continue;
    } else {
      const sign = e < 0 ? -1 : 1;
      // a boundary inside the zero bucket bounds no value: the zero bucket's end replaces it
      lo = sign * (around[0] > zeroThreshold ? around[0] : zeroThreshold);
      hi = sign * around[1];
    }
    const lowerIsNearer = Math.abs(lo - e) <= Math.abs(hi - e);
    const near = lowerIsNearer ? lo : hi;
    const far = lowerIsNearer ? hi : lo;
    if (near > previous && near < high) edges[kept++] = near;
    else if (far > previous && far < high) edges[kept++] = far;
  }
  edges[kept++] = high;
  if (kept < edges.length) edges.length = kept;
  return edges;
}

/** One boundary run covering every occupied range of both signs, when that is not too wide to cache; else undefined. */
function sharedRun(occupied: OccupiedRanges, scale: number): BoundaryRun | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (let sign = 0; sign < 2; sign++) {
    const ranges = sign === 0 ? occupied.positive : occupied.negative;
    for (let r = 0; r < ranges.length; r += 2) {
      low = Math.min(low, ranges[r] as number);
      high = Math.max(high, (ranges[r + 1] as number) + 1);
    }
  }
  return high >= low && high - low < SHARED_RUN_MAX_BOUNDARIES ? boundariesCovering(scale, low, high) : undefined;
}

/** Widest boundary run {@link sharedRun} asks for (the cache keeps runs up to 4096). */
const SHARED_RUN_MAX_BOUNDARIES = 4096;

/** The ends of the bucket {@link inOccupiedBucket} found last. */
const around: [number, number] = [0, 0];

/**
 * Per range of each sign (positive ranges first), the run index the last search ended at (−1: none yet). The edges come
 * in ascending order, so a search starts where the last one of its range ended and walks a few boundaries.
 */
let cursors = new Int32Array(8);

/**
 * True when `magnitude` lies strictly inside a bucket `(b_i, b_{i+1})` at `scale` whose index `i` is in one of `ranges`
 * (flat `[first, last]` pairs, their cursors from `cursorBase` in {@link cursors}); its ends are then in {@link around}.
 * The bucket is found among the boundary values themselves (`shared`, or a run per range), so a value on a boundary
 * is on it: by binary search for a range's first edge, then by walking on from where the last search ended.
 * Cost: O(ranges) plus the boundaries walked, O(log buckets + buckets between consecutive edges).
 */
function inOccupiedBucket(magnitude: number, scale: number, ranges: readonly number[], shared: BoundaryRun | undefined, cursorBase: number): boolean {
  for (let r = 0; r < ranges.length; r += 2) {
    const first = ranges[r] as number;
    const last = ranges[r + 1] as number;
    const run = shared ?? boundariesCovering(scale, first, last + 1);
    const b = run.values;
    const lo = first - run.start;
    const hi = last + 1 - run.start;
    if (!(magnitude > (b[lo] as number) && magnitude < (b[hi] as number))) continue;
    const slot = cursorBase + (r >> 1);
    let c = cursors[slot] as number;
    if (!(c >= lo && c < hi)) {
      // the range's first edge: a binary search (b[low] < magnitude < b[high] throughout)
      let low = lo;
      let high = hi;
      while (high - low > 1) {
        const mid = (low + high) >>> 1;
        if ((b[mid] as number) < magnitude) low = mid;
        else high = mid;
      }
      c = low;
    }
    // b[lo] < magnitude < b[hi] bounds both walks: afterwards b[c] < magnitude ≤ b[c + 1]
    while ((b[c] as number) >= magnitude) c--;
    while ((b[c + 1] as number) < magnitude) c++;
    cursors[slot] = c;
    if ((b[c + 1] as number) === magnitude) return false;
    around[0] = b[c] as number;
    around[1] = b[c + 1] as number;
    return true;
  }
  return false;
}
