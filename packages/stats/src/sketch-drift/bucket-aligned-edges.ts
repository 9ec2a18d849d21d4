import { lowerBoundary, mapToIndex } from '../sketch/exponential-mapping.js';

/**
 * Bin edges moved onto bucket boundaries, so that a histogram re-binned onto them is exact: each inner edge goes to the
 * nearest boundary of the buckets at `scale` (±2^(i·2^−scale), or ±`zeroThreshold` around a wide zero bucket; 0 is a
 * boundary too), the outer edges stay where they are. Then every bucket lies wholly inside one bin, and the bin counts
 * of a sketch are the counts of its raw values — except a positive value lying exactly on an edge, which its bucket
 * `(lo, hi]` puts in the bin below while `[a, b)` bins put it in the bin above (negative buckets `[−hi, −lo)` agree
 * with `[a, b)`).
 *
 * This is what the sketch variants of PSI, Jensen–Shannon and Hellinger bin on: the Sturges (or reference-quantile)
 * edges the raw-sample tests use, each moved by less than one bucket width — at most `2^(2^−scale) − 1` of its
 * magnitude (9 % at scale 3). The raw-sample tests on the moved edges (`psi(ref, cur, { bins: edges })`) give the
 * sketch's values; how far the moved edges change the statistics from Evidently's is measured in
 * `edge-sensitivity.test.ts` (README of this folder).
 *
 * Rules, in order along the edges: an edge already on a boundary stays; otherwise it moves to the nearer end of its
 * bucket, or to the farther end when the nearer one is not strictly between the outer edges and above the previous
 * moved edge. An edge with neither is dropped, merging its two bins — this happens only where bins are narrower than
 * buckets. Edges between −`zeroThreshold` and `zeroThreshold` move to one of them (or to 0 when the threshold is 0).
 *
 * Input: at least 2 strictly increasing edges (outer edges may be infinite), as `numericEdges` makes them.
 * Cost: O(edges), one `mapToIndex` and two `lowerBoundary` per inner edge.
 */
export function bucketAlignedEdges(edges: readonly number[], scale: number, zeroThreshold = 0): number[] {
  const last = edges.length - 1;
  const low = edges[0] as number;
  const high = edges[last] as number;
  const out = [low];
  const candidates = new Float64Array(2);
  for (let t = 1; t < last; t++) {
    const e = edges[t] as number;
    const previous = out[out.length - 1] as number;
    const n = boundariesNear(e, scale, zeroThreshold, candidates);
    let best = NaN;
    for (let k = 0; k < n; k++) {
      const b = candidates[k] as number;
      if (b > previous && b < high && !(Math.abs(b - e) >= Math.abs(best - e))) best = b;
    }
    if (!Number.isNaN(best)) out.push(best);
  }
  out.push(high);
  return out;
}

/**
 * The two ends of the bucket holding `e` at `scale` (or of the zero bucket) written into `out`; returns how many were
 * written (one when `e` is 0 without a zero bucket). Within an ulp of a boundary `mapToIndex` may name either
 * neighbour; the ends are then those of the bucket `e` lies in by the boundary values themselves.
 */
function boundariesNear(e: number, scale: number, zeroThreshold: number, out: Float64Array): number {
  const magnitude = Math.abs(e);
  if (magnitude <= zeroThreshold || magnitude === 0) {
    if (zeroThreshold === 0) {
      out[0] = 0;
      return 1;
    }
    out[0] = -zeroThreshold;
    out[1] = zeroThreshold;
    return 2;
  }
  const sign = e < 0 ? -1 : 1;
  let index = mapToIndex(magnitude, scale);
  let lo = lowerBoundary(index, scale);
  let hi = lowerBoundary(index + 1, scale);
  if (magnitude < lo) {
    hi = lo;
    lo = lowerBoundary(--index, scale);
  } else if (magnitude > hi) {
    lo = hi;
    hi = lowerBoundary(++index + 1, scale);
  }
  // a boundary inside the zero bucket bounds no value: the zero bucket's end replaces it
  out[0] = sign * (lo > zeroThreshold ? lo : zeroThreshold);
  out[1] = sign * hi;
  return 2;
}
