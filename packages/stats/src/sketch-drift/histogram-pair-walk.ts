import { boundariesCovering } from '../sketch/boundary-cache.js';
import { snappedEdge } from './bucket-aligned-edges.js';
import type { ExponentialHistogramBuckets, ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';

/** What the walk reads of one side: a prepared histogram's plain data and exact facts. */
export interface WalkSide {
  readonly data: ExponentialHistogramData;
  readonly count: number;
  readonly min: number;
  readonly max: number;
}

/** The statistics of one {@link walkHistogramPair}. */
export interface HistogramPairWalk {
  /** D̂, the value of `ksStatisticFromBuckets` (the same sums in the same order: the same bits). */
  readonly ks: number;
  /** Ŵ₁, the value of `wassersteinFromBuckets` (the same integral, summed over other pieces: equal up to rounding). */
  readonly wasserstein: number;
  /**
   * Each side's mean under its CDF estimate (values uniform inside each clamped bucket): Σ c·(a + b)/2 / n over the
   * pieces walked, the `bucketMean` of a prepared histogram up to rounding. `meanCorrectedWasserstein` reads them.
   */
  readonly referenceModelMean: number;
  readonly currentModelMean: number;
  /**
   * Each side's counts in the bins of `edges`, by the rule of `rebinHistogram` (values uniform inside a bucket): the
   * differences of its CDF estimate at the edges, equal to `rebinClampedBuckets` up to rounding (≈ 1e-15 of the count).
   * Never negative, and exactly 0 for a bin no bucket overlaps. With `snap` (or edges already on bucket boundaries) no
   * bucket is split, and the counts are the whole bucket counts each bin holds. Empty without edges.
   * Scratch: valid until the next walk.
   */
  readonly referenceBins: readonly number[];
  readonly currentBins: readonly number[];
}

/** One side's running state: the count below the position reached, and the count below each inner edge crossed. */
interface SideState {
  n: number;
  min: number;
  max: number;
  below: number;
  /** Σ c·(a + b) over the pieces walked so far: twice the mass-weighted sum of the piece midpoints. */
  moment: number;
  /** `atEdge[t]`: values below `edges[t]` (left limit), for the inner edges t = 1 … bins − 1 crossed so far. */
  atEdge: number[];
  /**
   * The last piece of zero width `visit` handled (a side's min or max on its own, or a constant): its position (NaN
   * before any) and count — an edge moved to the start of the next cell sits on it, and it is not below that edge.
   */
  pointAt: number;
  pointMass: number;
}

/** The running state of a walk: the CDF difference at the position reached, and the statistics so far. */
interface WalkState {
  readonly ref: SideState;
  readonly cur: SideState;
  edges: readonly number[] | undefined;
  /** Position reached (NaN before the first cell) and F̂_ref − F̂_cur there (shares, right limit). */
  x: number;
  d: number;
  ks: number;
  w: number;
  /** The next inner edge to cross (`edges[edge]`, Infinity when none is left). */
  edge: number;
  nextEdge: number;
  /**
   * True to move each inner edge that cuts a cell to the nearer end of the cell (`bucketAlignedEdges`' rule, applied as
   * the walk crosses the edges), so that no bucket is split: the Sturges and quantile edges of `numericEdges`.
   */
  snap: boolean;
  /** Where the last inner edge kept ended up (the first edge before any), and the last edge. */
  lastEdge: number;
  highEdge: number;
  /** Inner edges dropped by the snapping rule so far (their `atEdge` is NaN). */
  dropped: number;
  /** False once the data breaks an assumption of the walk (the caller then takes the per-test path). */
  ok: boolean;
}

/** ∫ |d(x)| dx over an interval of width `w` where d is linear from `d0` to `d1` (as in `wassersteinFromBuckets`). */
function absLinearIntegral(d0: number, d1: number, w: number): number {
  // a cell reaching ±Infinity (the outermost buckets at a low scale) that neither side fills: nothing to integrate
  if (!(w < Infinity)) return d0 === 0 && d1 === 0 ? 0 : Infinity;
  if ((d0 >= 0 && d1 >= 0) || (d0 <= 0 && d1 <= 0)) return (Math.abs(d0) + Math.abs(d1)) * 0.5 * w;
  const a = Math.abs(d0);
  const b = Math.abs(d1);
  return ((a * a + b * b) / (2 * (a + b))) * w;
}

/** ∫ |d| dx over a gap of width `w` where d is constant (0 over an infinite gap too). */
function gapIntegral(d: number, w: number): number {
  return d === 0 ? 0 : Math.abs(d) * w;
}

/** F̂ of a side at `x` from the right, inside a cell where the side spreads `c` uniformly over `[a, b]`. */
function rightValue(below: number, c: number, a: number, b: number, x: number): number {
  if (c === 0 || x < a) return below;
  if (x >= b) return below + c;
  return below + (c * (x - a)) / (b - a);
}

/**
 * F̂ of a side at `y` from the left (the values below `y`), same cell: what the integral ends a piece with and what an
 * edge's bin boundary counts.
 */
function leftValue(below: number, c: number, a: number, b: number, y: number): number {
  if (c === 0 || y <= a) return below;
  if (y >= b) return below + c;
  // the ratio first: it is ≤ 1, so the count below never exceeds below + c
  return below + c * ((y - a) / (b - a));
}

/** Breakpoints of a boundary cell (at most 6), reused. */
const points = new Float64Array(6);

/** Inserts `v` into the first `m` sorted {@link points}; returns the new count. */
function insertPoint(m: number, v: number): number {
  let k = m;
  while (k > 0 && (points[k - 1] as number) > v) {
    points[k] = points[k - 1] as number;
    k--;
  }
  points[k] = v;
  return m + 1;
}

/**
 * ∫ |F̂_ref − F̂_cur| over a cell `[x0, x1]` where a side's mass does not fill the cell (its first or last bucket, clamped
 * to its min or max, a point mass, or the zero bucket of another threshold): piecewise linear between the breakpoints.
 */
function boundaryCellIntegral(s: WalkState, x0: number, x1: number, cr: number, ra: number, rb: number, cc: number, ca: number, cb: number): number {
  let m = 0;
  m = insertPoint(m, x0);
  m = insertPoint(m, x1);
  if (cr > 0) {
    m = insertPoint(m, ra);
    m = insertPoint(m, rb);
  }
  if (cc > 0) {
    m = insertPoint(m, ca);
    m = insertPoint(m, cb);
  }
  const nR = s.ref.n;
  const nC = s.cur.n;
  const br = s.ref.below;
  const bc = s.cur.below;
  let total = 0;
  for (let k = 0; k + 1 < m; k++) {
    const p = points[k] as number;
    const q = points[k + 1] as number;
    if (!(q > p)) continue;
    const start = rightValue(br, cr, ra, rb, p) / nR - rightValue(bc, cc, ca, cb, p) / nC;
    const end = leftValue(br, cr, ra, rb, q) / nR - leftValue(bc, cc, ca, cb, q) / nC;
    total += absLinearIntegral(start, end, q - p);
  }
  return total;
}

/**
 * Records both sides' counts below every inner edge up to `x1`, the end of the cell `[x0, x1]` being visited (pieces
 * `[ra, rb]`, `[ca, cb]`, before the cell's counts are added): an edge in the gap before the cell gets the count below
 * the cell. With `snap`, an edge strictly inside the cell moves to its nearer end — or to the farther one when the nearer
 * is not above the last kept edge and below the last edge; with neither it is dropped (`atEdge` NaN) — exactly as
 * `alignEdgesInPlace` moves it; an edge not above the last kept one is dropped too.
 */
function crossEdges(s: WalkState, x0: number, x1: number, cr: number, ra: number, rb: number, cc: number, ca: number, cb: number): void {
  const edges = s.edges as readonly number[];
  const inner = edges.length - 1;
  const ref = s.ref;
  const cur = s.cur;
  let t = s.edge;
  let e = s.nextEdge;
  while (t < inner && e <= x1) {
    let at = e;
    if (s.snap && e > x0 && e < x1) at = snappedEdge(e, x0, x1, s.lastEdge, s.highEdge);
    else if (!(e > s.lastEdge)) at = NaN;
    if (Number.isNaN(at)) {
      ref.atEdge[t] = NaN;
      cur.atEdge[t] = NaN;
      s.dropped++;
    } else if (at === x0) {
      // the values before the cell, less a point at its start: as `rebinClampedBuckets` bins a point on an edge
      ref.atEdge[t] = ref.below - (ref.pointAt === x0 ? ref.pointMass : 0);
      cur.atEdge[t] = cur.below - (cur.pointAt === x0 ? cur.pointMass : 0);
      s.lastEdge = at;
    } else {
      ref.atEdge[t] = leftValue(ref.below, cr, ra, rb, at);
      cur.atEdge[t] = leftValue(cur.below, cc, ca, cb, at);
      s.lastEdge = at;
    }
    t++;
    e = t < inner ? (edges[t] as number) : Infinity;
  }
  s.edge = t;
  s.nextEdge = e;
}

/**
 * A side's piece in a bucket cell `[x0, x1]`: the cell clamped to the side's min (in its first non-empty bucket) and max
 * (in its last), as `clampedBucketsOfData` clamps. Returns false when rounding left the side's min above its first
 * bucket or its max below its last (`clampedBucketsOfData` then moves the bucket outside its cell).
 */
function pieceInCell(side: SideState, x0: number, x1: number, c: number, out: Float64Array, at: number): boolean {
  let a = x0;
  let b = x1;
  if (side.below === 0) {
    if (side.min > x1) return false;
    if (side.min > a) a = side.min;
  }
  if (side.below + c === side.n) {
    if (side.max < x0) return false;
    if (side.max < b) b = side.max;
  }
  if (a > b) return false;
  out[at] = a;
  out[at + 1] = b;
  return true;
}

/** The two sides' pieces of the cell being visited, reused. */
const pieces = new Float64Array(4);

/**
 * Visits one cell `[x0, x1]` (x0 ≤ x1) holding `cr` reference and `cc` current values, spread over the pieces in
 * {@link pieces} (`[ra, rb, ca, cb]`): integrates |d| from the position reached to `x0` (constant: nothing lies between)
 * and over the cell, records the counts below the edges it crosses, then moves both CDFs past the cell and the KS
 * maximum with them.
 */
function visit(s: WalkState, x0: number, x1: number, cr: number, cc: number): void {
  if (x0 < s.x) {
    s.ok = false;
    return;
  }
  const ref = s.ref;
  const cur = s.cur;
  if (x0 > s.x) s.w += gapIntegral(s.d, x0 - s.x);
  const ra = pieces[0] as number;
  const rb = pieces[1] as number;
  const ca = pieces[2] as number;
  const cb = pieces[3] as number;
  const fr = ref.below + cr;
  const fc = cur.below + cc;
  if (cr !== 0) ref.moment += cr * (ra + rb);
  if (cc !== 0) cur.moment += cc * (ca + cb);
  const d1 = fr / ref.n - fc / cur.n;
  if ((cr === 0 || (ra === x0 && rb === x1)) && (cc === 0 || (ca === x0 && cb === x1))) s.w += absLinearIntegral(s.d, d1, x1 - x0);
  else s.w += boundaryCellIntegral(s, x0, x1, cr, ra, rb, cc, ca, cb);
  const gap = Math.abs(d1);
  if (gap > s.ks) s.ks = gap;
  if (x1 >= s.nextEdge) crossEdges(s, x0, x1, cr, ra, rb, cc, ca, cb);
  if (cr !== 0 && ra === rb) {
    ref.pointAt = ra;
    ref.pointMass = cr;
  }
  if (cc !== 0 && ca === cb) {
    cur.pointAt = ca;
    cur.pointMass = cc;
  }
  ref.below = fr;
  cur.below = fc;
  s.d = d1;
  s.x = x1;
}

/** Visits bucket cell `[x0, x1]` of both sides (counts `cr`, `cc`), clamping each side's piece; false on a failed clamp. */
function visitBucket(s: WalkState, x0: number, x1: number, cr: number, cc: number): boolean {
  if (cr > 0) {
    if (!pieceInCell(s.ref, x0, x1, cr, pieces, 0)) return false;
  }
  if (cc > 0) {
    if (!pieceInCell(s.cur, x0, x1, cc, pieces, 2)) return false;
  }
  visit(s, x0, x1, cr, cc);
  return s.ok;
}

/** Reused by {@link indexIntervals}: at most two intervals `[lo, hi]`, flattened. */
const intervalBounds = [0, 0, 0, 0];

/**
 * The occupied index intervals of two ranges, ascending, merged when they overlap or touch, into
 * {@link intervalBounds}; returns how many (0–2).
 */
function indexIntervals(a: ExponentialHistogramBuckets, b: ExponentialHistogramBuckets): number {
  const aLen = a.bucketCounts.length;
  const bLen = b.bucketCounts.length;
  if (aLen === 0 && bLen === 0) return 0;
  if (aLen === 0 || bLen === 0) {
    const only = aLen === 0 ? b : a;
    intervalBounds[0] = only.offset;
    intervalBounds[1] = only.offset + only.bucketCounts.length - 1;
    return 1;
  }
  const aFirst = a.offset <= b.offset;
  const first = aFirst ? a : b;
  const second = aFirst ? b : a;
  const firstHi = first.offset + first.bucketCounts.length - 1;
  const secondHi = second.offset + second.bucketCounts.length - 1;
  intervalBounds[0] = first.offset;
  if (second.offset <= firstHi + 1) {
    intervalBounds[1] = Math.max(firstHi, secondHi);
    return 1;
  }
  intervalBounds[1] = firstHi;
  intervalBounds[2] = second.offset;
  intervalBounds[3] = secondHi;
  return 2;
}

/** Writes {@link walkRange}'s locals back into the walk's state (before a cell `visit` handles, and at the end). */
function storeWalk(s: WalkState, x: number, d: number, ks: number, w: number, belowRef: number, belowCur: number, momentRef: number, momentCur: number): void {
  s.x = x;
  s.d = d;
  s.ks = ks;
  s.w = w;
  s.ref.below = belowRef;
  s.cur.below = belowCur;
  s.ref.moment = momentRef;
  s.cur.moment = momentCur;
}

/**
 * Walks the cells of one range (negative or positive) of both sides in ascending value, one per bucket index of either
 * side (a gap between two sides' disjoint ranges is crossed in one step); false when the walk must be abandoned.
 * A cell inside both sides' data (neither side's first nor last non-empty bucket) is handled here, with the state in
 * locals: this is the hot loop, and `visitBucket` per cell costs about twice as much. Its arithmetic is that of `visit`,
 * which handles every other cell.
 */
function walkRange(s: WalkState, scale: number, r: ExponentialHistogramBuckets, c: ExponentialHistogramBuckets, negative: boolean): boolean {
  const intervals = indexIntervals(r, c);
  const rOff = r.offset;
  const rEnd = rOff + r.bucketCounts.length;
  const cOff = c.offset;
  const cEnd = cOff + c.bucketCounts.length;
  const rCounts = r.bucketCounts;
  const cCounts = c.bucketCounts;
  const ref = s.ref;
  const cur = s.cur;
  const nR = ref.n;
  const nC = cur.n;
  // negative bucket i holds −v for v in (b^i, b^(i+1)]: ascending value is descending index, the cell [−b^(i+1), −b^i]
  const step = negative ? -1 : 1;
  const sign = negative ? -1 : 1;
  const lowShift = negative ? 1 : 0;
  const highShift = 1 - lowShift;
  let x = s.x;
  let d = s.d;
  let ks = s.ks;
  let w = s.w;
  let br = ref.below;
  let bc = cur.below;
  let mr = ref.moment;
  let mc = cur.moment;
  for (let v = 0; v < intervals; v++) {
    const slot = 2 * (negative ? intervals - 1 - v : v);
    const lo = intervalBounds[slot] as number;
    const hi = intervalBounds[slot + 1] as number;
    const run = boundariesCovering(scale, lo, hi + 1);
    const e = run.values;
    const base = run.start;
    const first = negative ? hi : lo;
    // the cells of an interval touch (each starts where the last ended): only its first cell can start elsewhere —
    // before the position reached (the walk cannot order such data: abandon it), or after it (a gap, crossed here)
    const start = sign * (e[first + lowShift - base] as number);
    if (start < x) {
      s.ok = false;
      return false;
    }
    if (start > x) w += gapIntegral(d, start - x);
    x = start;
    let nextEdge = s.nextEdge;
    for (let k = 0; k <= hi - lo; k++) {
      const i = first + step * k;
      const cr = i >= rOff && i < rEnd ? (rCounts[i - rOff] as number) : 0;
      const cc = i >= cOff && i < cEnd ? (cCounts[i - cOff] as number) : 0;
      // the cell starts where the last one ended (x), so only its end is read
      const x0 = x;
      const x1 = sign * (e[i + highShift - base] as number);
      const fr = br + cr;
      const fc = bc + cc;
      if (!((cr === 0 || (br > 0 && fr < nR)) && (cc === 0 || (bc > 0 && fc < nC)))) {
        storeWalk(s, x, d, ks, w, br, bc, mr, mc);
        if (!visitBucket(s, x0, x1, cr, cc)) return false;
        x = s.x;
        d = s.d;
        ks = s.ks;
        w = s.w;
        br = ref.below;
        bc = cur.below;
        mr = ref.moment;
        mc = cur.moment;
        nextEdge = s.nextEdge;
        continue;
      }
      // a cell both sides fill (or leave empty): d is linear across it
      const d1 = fr / nR - fc / nC;
      w += absLinearIntegral(d, d1, x1 - x0);
      // (an empty side's cell may reach ±Infinity: 0 · Infinity would be NaN)
      if (cr !== 0) mr += cr * (x0 + x1);
      if (cc !== 0) mc += cc * (x0 + x1);
      const gap = Math.abs(d1);
      if (gap > ks) ks = gap;
      if (x1 >= nextEdge) {
        // an inner edge in this cell (about one cell in ten with Sturges bins)
        ref.below = br;
        cur.below = bc;
        crossEdges(s, x0, x1, cr, x0, x1, cc, x0, x1);
        nextEdge = s.nextEdge;
      }
      br = fr;
      bc = fc;
      d = d1;
      x = x1;
    }
  }
  storeWalk(s, x, d, ks, w, br, bc, mr, mc);
  return true;
}

/** A side's zero-bucket piece, clamped as `clampedBucketsOfData` clamps it; false when the clamp leaves it empty. */
function zeroPiece(side: SideState, threshold: number, at: number): boolean {
  const a = threshold === 0 ? 0 : Math.max(-threshold, side.min);
  const b = threshold === 0 ? 0 : Math.min(threshold, side.max);
  pieces[at] = a;
  pieces[at + 1] = b;
  return a <= b;
}

/**
 * Storage per bin count and role (0 counts below the edges, 1 bins) and side, reused by every walk (allocating arrays
 * per feature costs more than the walk): index `4·bins + 2·role + side`. Sturges gives ⌈log₂ n⌉ + 1 bins, so only a
 * few dozen counts ever occur. Plain arrays, not typed ones: the proportion tests then read one kind of array from
 * every caller — with a `Float64Array` here and plain arrays from the raw-sample and category paths, those functions
 * went polymorphic and the four-test suite ran ~40 % slower in bench/stats (6.1 vs 4.3 µs).
 */
const scratch: number[][] = [];

function scratchArray(length: number, slot: number): number[] {
  const found = scratch[slot];
  if (found) return found;
  const made = new Array<number>(length).fill(0);
  if (length <= 1024) scratch[slot] = made;
  return made;
}

function resetSide(side: SideState, p: WalkSide, bins: number, slot: 0 | 1): void {
  side.n = p.count;
  side.min = p.min;
  side.max = p.max;
  side.below = 0;
  side.moment = 0;
  side.pointAt = NaN;
  side.pointMass = 0;
  side.atEdge = scratchArray(bins, 4 * bins + slot);
}

/** The state of the walk, reused (walks are synchronous and never nested): one walk per feature and window. */
const state: WalkState = {
  ref: { n: 0, min: 0, max: 0, below: 0, moment: 0, atEdge: [], pointAt: NaN, pointMass: 0 },
  cur: { n: 0, min: 0, max: 0, below: 0, moment: 0, atEdge: [], pointAt: NaN, pointMass: 0 },
  edges: undefined,
  x: NaN,
  d: 0,
  ks: 0,
  w: 0,
  edge: 1,
  nextEdge: Infinity,
  snap: false,
  lastEdge: -Infinity,
  highEdge: Infinity,
  dropped: 0,
  ok: true,
};

/**
 * A side's bin counts from its counts below the inner edges: bin t holds below(e_{t+1}) − below(e_t), e_0 below all,
 * e_last above; a dropped edge (NaN) merges its two bins, leaving `bins − dropped` of them.
 */
function binsOf(side: SideState, bins: number, dropped: number, slot: 0 | 1): number[] {
  const kept = bins - dropped;
  const out = scratchArray(kept, 4 * kept + 2 + slot);
  const at = side.atEdge;
  let previous = 0;
  let k = 0;
  for (let t = 1; t < bins; t++) {
    const g = at[t] as number;
    if (Number.isNaN(g)) continue;
    out[k++] = g - previous;
    previous = g;
  }
  if (kept > 0) out[kept - 1] = side.n - previous;
  return out;
}

function hasBuckets(d: ExponentialHistogramData): boolean {
  return d.negative.bucketCounts.length > 0 || d.positive.bucketCounts.length > 0;
}

/**
 * KS D̂, Wasserstein Ŵ₁ and (with `edges`) both sides' counts in the bins of `edges` — what `ksStatisticFromBuckets`,
 * `wassersteinFromBuckets` and `rebinClampedBuckets` compute, from one ascending walk over the bucket cells of two
 * histograms at one scale, reading their plain data by index: no clamped bucket arrays are built, and the bucket
 * boundaries come from a cache shared across calls (`boundariesCovering`).
 *
 * Both CDF estimates interpolate linearly inside a cell, so between cells the difference is linear and Ŵ₁ integrates
 * exactly as `wassersteinFromBuckets` does; a cell where a side's mass does not fill the cell (its first or last bucket
 * clamped to its min or max, a point mass) is split at each piece's ends.
 *
 * Returns undefined when the walk does not apply and the per-test functions must be used: both sides have buckets at
 * different scales (align them first, `alignScales`), or rounding put a side's min or max outside its outermost bucket,
 * or a zero threshold overlaps the buckets.
 *
 * `edges` must be strictly increasing and cover both sides (first edge ≤ both minima, last ≥ both maxima: Sturges edges
 * over the combined range, or quantile edges with infinite outer edges): the walk records each side's count below every
 * inner edge and takes the differences. With `snap` it first moves each inner edge that cuts a cell onto the nearer end
 * of the cell, by the rule of `alignEdgesInPlace` (edges dropped by that rule merge their bins, so there are fewer):
 * the bins are then those of the bucket-aligned edges, with no bucket split, at no extra pass over the edges.
 * Cost: O(buckets of both + edges), no allocation beyond the result.
 */
export function walkHistogramPair(reference: WalkSide, current: WalkSide, edges?: readonly number[], snap = false): HistogramPairWalk | undefined {
  const r = reference.data;
  const c = current.data;
  const rHas = hasBuckets(r);
  const cHas = hasBuckets(c);
  if (rHas && cHas && r.scale !== c.scale) return undefined;
  const scale = rHas ? r.scale : c.scale;
  const bins = edges === undefined ? 0 : edges.length - 1;
  const s = state;
  resetSide(s.ref, reference, bins, 0);
  resetSide(s.cur, current, bins, 1);
  s.edges = edges;
  s.x = NaN;
  s.d = 0;
  s.ks = 0;
  s.w = 0;
  s.edge = 1;
  s.nextEdge = bins > 1 ? ((edges as readonly number[])[1] as number) : Infinity;
  s.snap = snap;
  s.lastEdge = edges === undefined ? -Infinity : (edges[0] as number);
  s.highEdge = edges === undefined ? Infinity : (edges[bins] as number);
  s.dropped = 0;
  s.ok = true;
  if (!walkRange(s, scale, r.negative, c.negative, true)) return undefined;
  if (r.zeroCount > 0 || c.zeroCount > 0) {
    const t = Math.max(r.zeroThreshold, c.zeroThreshold);
    if (r.zeroCount > 0 && !zeroPiece(s.ref, r.zeroThreshold, 0)) return undefined;
    if (c.zeroCount > 0 && !zeroPiece(s.cur, c.zeroThreshold, 2)) return undefined;
    visit(s, -t, t, r.zeroCount, c.zeroCount);
    if (!s.ok) return undefined;
  }
  if (!walkRange(s, scale, r.positive, c.positive, false)) return undefined;
  // inner edges past every cell (none with Sturges or quantile edges): everything lies below them, and they lie above
  // the last kept edge, which is at most the last cell's end
  for (let t = s.edge; t < bins; t++) {
    s.ref.atEdge[t] = s.ref.n;
    s.cur.atEdge[t] = s.cur.n;
  }
  return {
    ks: s.ks,
    wasserstein: s.w,
    referenceModelMean: (0.5 * s.ref.moment) / s.ref.n,
    currentModelMean: (0.5 * s.cur.moment) / s.cur.n,
    referenceBins: binsOf(s.ref, bins, s.dropped, 0),
    currentBins: binsOf(s.cur, bins, s.dropped, 1),
  };
}
