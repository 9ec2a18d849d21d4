import type { ExponentialHistogramDataPoint, HistogramDataPoint } from '@driftwatch/otlp';
import { MAX_SCALE, MIN_SCALE, float64IndexRange, lowerBoundary } from '@driftwatch/stats';
import { highestBound, lowestBound } from '../sketch/histogram-accumulator.js';
import type { BucketsView, HistogramView } from '../sketch/histogram-view.js';
import type { ExplicitHistogram } from './stream-store.js';

/** Most buckets accepted per range of an incoming point (the SDK sends ≤ 160). */
export const MAX_POINT_BUCKETS = 4096;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;


function isCount(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x <= Number.MAX_SAFE_INTEGER;
}

function checkCounts(counts: readonly number[], what: string): string | undefined {
  if (counts.length > MAX_POINT_BUCKETS) return `${what} has ${counts.length} buckets (max ${MAX_POINT_BUCKETS})`;
  for (const c of counts) if (!isCount(c)) return `${what} holds ${c}, not a count`;
  return undefined;
}

function total(counts: readonly number[]): number {
  let s = 0;
  for (const c of counts) s += c;
  return s;
}

/**
 * Validates an OTLP exponential histogram point and views it as a {@link HistogramView}; returns an error text
 * when invalid. A missing `sum` is estimated from the bucket midpoints; a missing `min`/`max` is taken from the
 * outermost buckets (as the stats package does). Cost: O(buckets).
 */
export function expHistogramView(p: ExponentialHistogramDataPoint): HistogramView | string {
  if (!Number.isInteger(p.scale) || p.scale < MIN_SCALE || p.scale > MAX_SCALE) return `scale ${p.scale} is outside [${MIN_SCALE}, ${MAX_SCALE}]`;
  if (!isCount(p.count) || !isCount(p.zeroCount)) return 'count and zeroCount must be non-negative integers';
  if (!(p.zeroThreshold >= 0) || !Number.isFinite(p.zeroThreshold)) return `zeroThreshold ${p.zeroThreshold} is not a non-negative number`;
  const positive = rangeView(p.positive.offset, p.positive.bucketCounts, 'positive', p.scale);
  if (typeof positive === 'string') return positive;
  const positiveTotal = rangeTotal;
  const negative = rangeView(p.negative.offset, p.negative.bucketCounts, 'negative', p.scale);
  if (typeof negative === 'string') return negative;
  const bucketTotal = p.zeroCount + positiveTotal + rangeTotal;
  if (bucketTotal !== p.count) return `count ${p.count} differs from the buckets' total ${bucketTotal}`;
  if (p.sum !== undefined && !Number.isFinite(p.sum)) return `sum ${p.sum} is not finite`;
  if (p.min !== undefined && !Number.isFinite(p.min)) return `min ${p.min} is not finite`;
  if (p.max !== undefined && !Number.isFinite(p.max)) return `max ${p.max} is not finite`;
  const view = { scale: p.scale, zeroCount: p.zeroCount, zeroThreshold: p.zeroThreshold, count: p.count, sum: 0, min: Infinity, max: -Infinity, positive, negative };
  if (p.count === 0) return view;
  view.sum = p.sum ?? estimateSum(view);
  view.min = p.min ?? lowestBound(view);
  view.max = p.max ?? highestBound(view);
  if (view.min > view.max) return `min ${view.min} is greater than max ${view.max}${p.min === undefined || p.max === undefined ? ' (the missing one taken from the buckets)' : ''}`;
  return view;
}

/** The total of the range {@link rangeView} checked last (a module variable, so the check allocates one object). */
let rangeTotal = 0;

/**
 * One bucket range checked and viewed in one pass over its counts (and its zeros at either end): a 32-bit offset, at most {@link MAX_POINT_BUCKETS} counts,
 * each a non-negative safe integer, non-zero buckets within the float64 range of the scale. Returns the view (narrowed
 * to the non-zero buckets; its total in {@link rangeTotal}), or an error text.
 */
function rangeView(offset: number, counts: readonly number[], name: string, scale: number): BucketsView | string {
  const n = counts.length;
  if (!Number.isInteger(offset) || offset < INT32_MIN || offset + n - 1 > INT32_MAX) return `${name}.offset ${offset} is not a 32-bit index`;
  if (n > MAX_POINT_BUCKETS) return `${name} has ${n} buckets (max ${MAX_POINT_BUCKETS})`;
  // the non-zero buckets' bounds from both ends (SDK points have few leading or trailing zeros), then one pass over
  // all counts that sums them and only tests them: a 32-bit unsigned integer is a count (the usual case, one
  // operation); anything else is checked in full, in the order the counts come (the first bad one is reported)
  let first = 0;
  while (first < n && counts[first] === 0) first++;
  let last = n - 1;
  while (last > first && counts[last] === 0) last--;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const c = counts[k] as number;
    if ((c >>> 0) !== c && !isCount(c)) return `${name} holds ${c}, not a count`;
    total += c;
  }
  rangeTotal = total;
  if (first === n) return { offset, counts, start: 0, end: -1 };
  const start = offset + first;
  const end = offset + last;
  // buckets wholly outside the float64 range are rejected (the OTel consumer recommendation, as the stats package does)
  const [lowest, highest] = float64IndexRange(scale);
  if (start < lowest || end > highest) return `${name} buckets ${start}..${end} lie outside the float64 range at scale ${scale} (${lowest} to ${highest})`;
  return { offset, counts, start, end };
}

/** Σ count × geometric bucket midpoint, for producers that omit `sum`. */
export function estimateSum(h: HistogramView): number {
  let s = 0;
  for (const [sign, b] of [
    [1, h.positive],
    [-1, h.negative],
  ] as const) {
    for (let i = b.start; i <= b.end; i++) {
      const c = b.counts[i - b.offset] as number;
      if (c !== 0) s += sign * c * Math.sqrt(lowerBoundary(i, h.scale) * lowerBoundary(i + 1, h.scale));
    }
  }
  return s;
}

/** Validates an explicit-bucket histogram point (durations). */
export function explicitHistogramOf(p: HistogramDataPoint): ExplicitHistogram | string {
  if (p.bucketCounts.length !== p.explicitBounds.length + 1) return `${p.bucketCounts.length} bucket counts for ${p.explicitBounds.length} bounds`;
  const e = checkCounts(p.bucketCounts, 'bucketCounts');
  if (e) return e;
  for (let i = 0; i < p.explicitBounds.length; i++) {
    const b = p.explicitBounds[i] as number;
    if (!Number.isFinite(b) || (i > 0 && b <= (p.explicitBounds[i - 1] as number))) return 'explicitBounds must be finite and increasing';
  }
  if (!isCount(p.count) || total(p.bucketCounts) !== p.count) return `count ${p.count} differs from the buckets' total`;
  const sum = p.sum ?? 0;
  if (!Number.isFinite(sum)) return `sum ${sum} is not finite`;
  return { count: p.count, sum, bounds: p.explicitBounds, counts: p.bucketCounts };
}
