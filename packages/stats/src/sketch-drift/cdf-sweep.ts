import type { ClampedBuckets } from '../sketch/clamped-buckets.js';

/**
 * A walk along the piecewise-linear CDF estimate of one histogram (the rule of `histogramCdf`: values uniform inside
 * each bucket clamped to `[min, max]`, a zero-width bucket a point mass), queried at non-decreasing points.
 * `at(x)` returns the count at or below `x`; `jump` is then the point mass sitting exactly at `x`, so the left limit
 * is `at(x) − jump`. Cost: O(buckets) over a whole sweep.
 */
class CdfWalk {
  private k = 0;
  private below = 0;
  jump = 0;

  constructor(private readonly b: ClampedBuckets) {}

  at(x: number): number {
    const { lower, upper, count } = this.b;
    this.jump = 0;
    while (this.k < count.length && (upper[this.k] as number) <= x) {
      const c = count[this.k] as number;
      if (lower[this.k] === upper[this.k] && upper[this.k] === x) this.jump += c;
      this.below += c;
      this.k++;
    }
    if (this.k < count.length) {
      const lo = lower[this.k] as number;
      if (lo < x) return this.below + ((count[this.k] as number) * (x - lo)) / ((upper[this.k] as number) - lo);
    }
    return this.below;
  }
}

/**
 * Receives one breakpoint `x` of the two CDF estimates: F̂_ref(x), F̂_cur(x) (right-continuous, as shares in [0, 1])
 * and F̂_ref(x−), F̂_cur(x−) (left limits). Plain arguments, so the sweep allocates nothing.
 */
export type CdfVisitor = (x: number, ref: number, cur: number, refBelow: number, curBelow: number) => void;

/**
 * Visits, in ascending order, every bucket boundary of either histogram with both CDF estimates there. Between two
 * consecutive breakpoints both estimates are linear, so any functional of `F̂_ref − F̂_cur` that is extreme at, or
 * integrable between, breakpoints is computed exactly from these points. Cost: O(buckets of both).
 */
export function sweepCdfs(reference: ClampedBuckets, nRef: number, current: ClampedBuckets, nCur: number, visit: CdfVisitor): void {
  const r = new CdfWalk(reference);
  const c = new CdfWalk(current);
  // each side's breakpoints lower₀ ≤ upper₀ ≤ lower₁ ≤ … are already sorted: merge the two sequences
  const rl = reference.count.length * 2;
  const cl = current.count.length * 2;
  const point = (b: ClampedBuckets, i: number): number => ((i & 1) === 0 ? b.lower[i >> 1] : b.upper[i >> 1]) as number;
  let i = 0;
  let j = 0;
  let previous = NaN;
  while (i < rl || j < cl) {
    const a = i < rl ? point(reference, i) : Infinity;
    const d = j < cl ? point(current, j) : Infinity;
    const x = a <= d ? a : d;
    if (a <= d) i++;
    else j++;
    if (x === previous) continue;
    previous = x;
    const fr = r.at(x);
    const fc = c.at(x);
    visit(x, fr / nRef, fc / nCur, (fr - r.jump) / nRef, (fc - c.jump) / nCur);
  }
}
