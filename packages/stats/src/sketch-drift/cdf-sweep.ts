import type { ClampedBuckets } from '../sketch/clamped-buckets.js';

/**
 * Receives one breakpoint `x` of the two CDF estimates: F̂_ref(x), F̂_cur(x) (right-continuous, as shares in [0, 1])
 * and F̂_ref(x−), F̂_cur(x−) (left limits).
 */
export type CdfVisitor = (x: number, ref: number, cur: number, refBelow: number, curBelow: number) => void;

/**
 * A walk along the piecewise-linear CDF estimate of one histogram (the rule of `histogramCdf`: values uniform inside
 * each bucket clamped to `[min, max]`, a zero-width bucket a point mass), queried at non-decreasing points. After
 * `at(x)`, `value` is the count at or below `x` and `jump` the point mass sitting exactly at `x` (so the left limit is
 * `value − jump`). Plain fields, no allocation per query. Cost: O(buckets) over a whole sweep.
 */
class CdfWalk {
  private k = 0;
  private below = 0;
  value = 0;
  jump = 0;

  constructor(private readonly b: ClampedBuckets) {}

  at(x: number): void {
    const { lower, upper, count } = this.b;
    const n = count.length;
    let k = this.k;
    let below = this.below;
    let jump = 0;
    while (k < n && (upper[k] as number) <= x) {
      const c = count[k] as number;
      if (upper[k] === x && lower[k] === x) jump += c;
      below += c;
      k++;
    }
    this.k = k;
    this.below = below;
    this.jump = jump;
    let value = below;
    if (k < n) {
      const lo = lower[k] as number;
      if (lo < x) value += ((count[k] as number) * (x - lo)) / ((upper[k] as number) - lo);
    }
    this.value = value;
  }
}

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
  let i = 0;
  let j = 0;
  let previous = NaN;
  while (i < rl || j < cl) {
    const a = i < rl ? ((i & 1) === 0 ? reference.lower[i >> 1] : reference.upper[i >> 1]) as number : Infinity;
    const d = j < cl ? ((j & 1) === 0 ? current.lower[j >> 1] : current.upper[j >> 1]) as number : Infinity;
    let x: number;
    if (a <= d) {
      x = a;
      i++;
    } else {
      x = d;
      j++;
    }
    if (x === previous) continue;
    previous = x;
    r.at(x);
    c.at(x);
    visit(x, r.value / nRef, c.value / nCur, (r.value - r.jump) / nRef, (c.value - c.jump) / nCur);
  }
}
