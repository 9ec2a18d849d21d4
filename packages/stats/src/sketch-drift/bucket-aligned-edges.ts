import { boundariesCovering } from '../sketch/boundary-cache.js';
import type { ExponentialHistogramBuckets, ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';

/**
 * The bucket indexes histograms may hold values in at one scale, per sign, as flat `[first₀, last₀, first₁, last₁, …]`
 * index ranges, ascending and disjoint: those of the histograms, merged where they overlap or touch (two narrow ranges
 * far from each other stay two, not one huge one). Only edges inside these ranges can cut a bucket that holds values.
 */
export interface OccupiedRanges {
  readonly positive: readonly number[];
  readonly negative: readonly number[];
}

/**
 * The {@link OccupiedRanges} of two histograms at `scale`, which must not exceed either of their scales: each one's index
 * range of each sign (`offset … offset + length − 1`, shifted down to `scale`), merged where they overlap or touch —
 * the cells `walkHistogramPair` visits. Cost: O(1).
 */
export function occupiedRanges(reference: ExponentialHistogramData, current: ExponentialHistogramData, scale: number): OccupiedRanges {
  const sign = (range: 'positive' | 'negative'): number[] =>
    occupiedIntervals(indexRange(reference[range], reference.scale - scale), indexRange(current[range], current.scale - scale)).flat();
  return { positive: sign('positive'), negative: sign('negative') };
}

/**
 * One histogram's index range of one sign at a scale `shift` below its own (`[0, −1]` when empty, or when the scale is
 * above its own: then the common scale ignored it, as it holds values only in its zero bucket).
 */
function indexRange(buckets: ExponentialHistogramBuckets, shift: number): [number, number] {
  const length = buckets.bucketCounts.length;
  return length > 0 && shift >= 0 ? [buckets.offset >> shift, (buckets.offset + length - 1) >> shift] : [0, -1];
}

/** The non-empty of two index intervals `[lo, hi]`, ascending, merged when they overlap or touch. */
export function occupiedIntervals(a: [number, number], b: [number, number]): Array<[number, number]> {
  const list = [a, b].filter(([lo, hi]) => hi >= lo).sort((x, y) => x[0] - y[0]);
  const [first, second] = list;
  if (first && second && second[0] <= first[1] + 1) return [[first[0], Math.max(first[1], second[1])]];
  return list;
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
 * Cost: O(edges + buckets), one sweep per sign with the boundaries from the shared cache (`boundariesCovering`); no
 * logarithm. This form copies `edges`; {@link alignEdgesInPlace} allocates nothing.
 */
export function bucketAlignedEdges(edges: readonly number[], scale: number, occupied: OccupiedRanges, zeroThreshold = 0): number[] {
  return alignEdgesInPlace([...edges], scale, occupied, zeroThreshold);
}

/**
 * {@link bucketAlignedEdges} done on `edges` itself — the caller's own fresh array, as `numericEdges` makes it — which is
 * returned, shortened by the edges dropped: allocating nothing matters in the aggregator's per-feature evaluation.
 */
export function alignEdgesInPlace(edges: number[], scale: number, occupied: OccupiedRanges, zeroThreshold = 0): number[] {
  const positive = occupied.positive;
  const negative = occupied.negative;
  const last = edges.length - 1;
  const high = edges[last] as number;
  // The edges ascend: positive magnitudes ascend through the positive ranges, negative ones descend through theirs. So
  // each sign sweeps its ranges once, with the range it is in (`rp`, `rn`), that range's boundaries (`bp`, `bn`: run
  // values, index `i` of the run is bucket boundary `i + sp` or `i + sn`) and where the last search ended (`cp`, `cn`).
  let rp = -2;
  let bp: Float64Array = EMPTY;
  let sp = 0;
  let cp = 0;
  let rn = negative.length;
  let bn: Float64Array = EMPTY;
  let sn = 0;
  let cn = 0;
  // edges[0 … kept − 1] are the edges decided so far (kept ≤ t: writing never overtakes reading)
  let kept = 1;
  for (let t = 1; t < last; t++) {
    const e = edges[t] as number;
    const previous = edges[kept - 1] as number;
    let lo = NaN;
    let hi = NaN;
    if (Math.abs(e) < zeroThreshold) {
      lo = -zeroThreshold;
      hi = zeroThreshold;
    } else if (e > 0) {
      // move on to the first positive range whose top boundary is above e (entering a range reads its boundaries)
      while (rp < positive.length && !(rp >= 0 && e < (bp[(positive[rp + 1] as number) + 1 - sp] as number))) {
        rp += 2;
        if (rp >= positive.length) break;
        const run = boundariesCovering(scale, positive[rp] as number, (positive[rp + 1] as number) + 1);
        bp = run.values;
        sp = run.start;
        cp = (positive[rp] as number) - sp;
      }
      if (rp < positive.length && e > (bp[cp] as number)) {
        while ((bp[cp + 1] as number) < e) cp++;
        // bp[cp] < e ≤ bp[cp + 1]; on the boundary itself the edge cuts nothing
        if ((bp[cp + 1] as number) !== e) {
          lo = bp[cp] as number;
          hi = bp[cp + 1] as number;
        }
      }
    } else if (e < 0) {
      const magnitude = -e;
      // move on to the first negative range (from the top) whose lowest boundary is below |e|
      while (rn >= 0 && !(rn < negative.length && magnitude > (bn[(negative[rn] as number) - sn] as number))) {
        rn -= 2;
        if (rn < 0) break;
        const run = boundariesCovering(scale, negative[rn] as number, (negative[rn + 1] as number) + 1);
        bn = run.values;
        sn = run.start;
        cn = (negative[rn + 1] as number) + 1 - sn;
      }
      if (rn >= 0 && magnitude < (bn[cn] as number)) {
        while ((bn[cn - 1] as number) >= magnitude) cn--;
        // bn[cn − 1] < |e| ≤ bn[cn]: the bucket [−bn[cn], −bn[cn − 1]); on a boundary the edge cuts nothing
        if ((bn[cn] as number) !== magnitude) {
          lo = -(bn[cn] as number);
          hi = -(bn[cn - 1] as number);
        }
      }
    }
    if (Number.isNaN(lo)) {
      // on a boundary, or in no bucket that can hold a value: moving it would change no count
      if (e > previous) edges[kept++] = e;
      continue;
    }
    // a boundary inside the zero bucket bounds no value: the zero bucket's end replaces it
    if (lo > -zeroThreshold && lo < 0) lo = -zeroThreshold;
    else if (lo >= 0 && lo < zeroThreshold) lo = zeroThreshold;
    if (hi > -zeroThreshold && hi < 0) hi = -zeroThreshold;
    const moved = snappedEdge(e, lo, hi, previous, high);
    if (!Number.isNaN(moved)) edges[kept++] = moved;
  }
  edges[kept++] = high;
  if (kept < edges.length) edges.length = kept;
  return edges;
}

/**
 * Where an edge `e` inside the bucket `[lo, hi]` goes: the nearer end (the lower one on a tie), else the farther, of
 * those strictly between the last kept edge `previous` and the last edge `high`; NaN when neither is (the edge is
 * dropped). The rule both {@link alignEdgesInPlace} and `walkHistogramPair` (with `snap`) apply. Cost: O(1).
 */
export function snappedEdge(e: number, lo: number, hi: number, previous: number, high: number): number {
  const lowerIsNearer = Math.abs(lo - e) <= Math.abs(hi - e);
  const near = lowerIsNearer ? lo : hi;
  const far = lowerIsNearer ? hi : lo;
  return near > previous && near < high ? near : far > previous && far < high ? far : NaN;
}

/** No boundaries read yet. */
const EMPTY: Float64Array = new Float64Array(0);
