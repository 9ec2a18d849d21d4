import { OTHER_KEY, TAIL_KEY_PREFIX, fnv1a32, histogramCdf, truncateCategory } from '@driftwatch/stats';
import type { CategoryCountsData, ExponentialHistogram, PreparedHistogram } from '@driftwatch/stats';

const TAIL_KEY_PATTERN = /^__dw_tail_(0|[1-9][0-9]{0,8})__$/;

/**
 * Share of the window's numeric mass outside the reference range `[refMin, refMax]`:
 * `F̂(refMin⁻) + 1 − F̂(refMax)` with the stats package's interpolated histogram CDF (exact when the window's own
 * min/max lie inside the range, which gives 0). Cost: O(buckets).
 */
export function outOfRangeRatio(current: ExponentialHistogram, refMin: number, refMax: number): number {
  if (current.count === 0) return 0;
  const below = current.min < refMin ? histogramCdf(current, refMin) : 0;
  const above = current.max > refMax ? 1 - histogramCdf(current, refMax) : 0;
  return Math.min(1, Math.max(0, below + above));
}

/**
 * {@link outOfRangeRatio} of a window sketch already prepared for the drift tests (its clamped buckets read once):
 * the same interpolated CDF (`histogramCdf`'s rule: buckets clamped to the window's `[min, max]`, values uniform
 * inside a bucket), without reading the buckets again. Cost: O(buckets).
 */
export function outOfRangeRatioOfPrepared(current: PreparedHistogram, refMin: number, refMax: number): number {
  if (current.count === 0) return 0;
  const below = current.min < refMin ? preparedCdf(current, refMin) : 0;
  const above = current.max > refMax ? 1 - preparedCdf(current, refMax) : 0;
  return Math.min(1, Math.max(0, below + above));
}

function preparedCdf(h: PreparedHistogram, x: number): number {
  if (x < h.min) return 0;
  if (x >= h.max) return 1;
  const { lower, upper, count } = h.buckets;
  let below = 0;
  for (let k = 0; k < count.length; k++) {
    const lo = lower[k] as number;
    const hi = upper[k] as number;
    const c = count[k] as number;
    if (x >= hi) {
      below += c;
      continue;
    }
    if (x > lo) below += (c * (x - lo)) / (hi - lo);
    break;
  }
  return Math.min(1, Math.max(0, below / h.count));
}

/**
 * Whether a window key (a category, `__dw_tail_<i>__` or `__dw_other__`) was seen in the reference: an exact
 * category of the reference, or a key whose tail bucket holds reference counts (a category the reference only kept
 * hashed). Conservative: a hashed collision counts as seen.
 */
export function inReference(key: string, ref: CategoryCountsData): boolean {
  if (key === OTHER_KEY) return ref.other > 0;
  if (key.startsWith(TAIL_KEY_PREFIX)) {
    const m = TAIL_KEY_PATTERN.exec(key);
    if (m) return (ref.tail[Number(m[1])] ?? 0) > 0;
  }
  const category = truncateCategory(key);
  if (Object.hasOwn(ref.exact, category) && (ref.exact[category] ?? 0) > 0) return true;
  return (ref.tail[fnv1a32(category) % ref.tailBuckets] ?? 0) > 0;
}

/** Share of the window's categorical values whose category is absent from the reference. Cost: O(keys). */
export function newCategoryRatio(window: ReadonlyArray<readonly [string, number]>, ref: CategoryCountsData): number {
  let total = 0;
  let unseen = 0;
  for (const [key, count] of window) {
    total += count;
    if (!inReference(key, ref)) unseen += count;
  }
  return total === 0 ? 0 : unseen / total;
}

/** True when a categorical window holds one distinct exact category (tail buckets may hide several). */
export function singleCategory(window: ReadonlyArray<readonly [string, number]>): boolean {
  const nonZero = window.filter(([, c]) => c > 0);
  const only = nonZero[0];
  return nonZero.length === 1 && only !== undefined && only[0] !== OTHER_KEY && !TAIL_KEY_PATTERN.test(only[0]);
}
