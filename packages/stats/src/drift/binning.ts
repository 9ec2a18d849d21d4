import { assertNumericSample, assertStringSample, sampleKind } from './validate.js';

/**
 * Shared binning of the histogram-based drift measures (PSI, Jensen–Shannon, Hellinger), Evidently's
 * `get_binned_data` semantics:
 * - numeric data whose reference has more than 20 distinct values: Sturges edges over the combined sample
 *   (numpy `histogram_bin_edges(concat(ref, cur), bins='sturges')`), counts as `np.histogram` (bins [eᵢ, eᵢ₊₁), last closed);
 * - numeric data with at most 20 distinct reference values: one bin per distinct value of the union of both samples;
 * - `{ bins: 'quantile', count: k }`: edges at the reference quantiles (numpy `quantile`, linear interpolation) at
 *   0, 1/k, …, 1, duplicates removed, and the two outer bins left open (−∞, q₁) and [q_{k−1}, +∞) so that current values
 *   outside the reference range are counted, not dropped;
 * - `{ bins: [e₀, e₁, …, e_k] }`: explicit edges, bins [eᵢ, eᵢ₊₁) with the two outer bins open as for quantile bins
 *   (every value is counted; e₀ and e_k bound nothing). The sketch variants report the edges they bin on
 *   (`binSketches(…).edges`); passing those here gives the raw-sample value of the sketch's statistic;
 * - categorical data: one bin per category of the union of both samples.
 * Bins are emitted in ascending key/edge order, so results do not depend on input order.
 *
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/utils.py ,
 * https://numpy.org/doc/1.24/reference/generated/numpy.histogram_bin_edges.html
 */

/** Above this many distinct reference values, numeric data is binned with Sturges edges (Evidently). */
export const MAX_VALUE_BINS = 20;

export interface BinningOptions {
  /**
   * 'auto' (default): Evidently's rule above; 'quantile': reference-quantile bins; an array: explicit edges (at least
   * 2, strictly increasing, not NaN; outer bins open). Numeric data only, except 'auto'.
   */
  readonly bins?: 'auto' | 'quantile' | readonly number[];
  /** Number of quantile bins (default 10). */
  readonly count?: number;
}

export interface BinnedCounts {
  /** Counts of the reference per bin. */
  readonly reference: number[];
  /** Counts of the current sample per bin (same bins). */
  readonly current: number[];
  /** How the bins were made. */
  readonly binning: 'sturges' | 'quantile' | 'edges' | 'values' | 'categories';
}

/**
 * `options.bins` checked (`test` names the caller) for data of `kind`: 'auto', 'quantile' or explicit edges — at least
 * 2, strictly increasing numbers, not NaN (±Infinity allowed), and only 'auto' for categorical data — else an `Error`
 * naming the field. Cost: O(edges).
 */
export function checkBins(test: string, bins: BinningOptions['bins'], kind: 'numeric' | 'categorical'): 'auto' | 'quantile' | readonly number[] {
  const checked = checkBinsValue(test, bins);
  if (kind === 'categorical' && checked !== 'auto') {
    throw new Error(`${test}: options.bins ${typeof checked === 'string' ? `'${checked}'` : '(edges)'} applies to numeric data only`);
  }
  return checked;
}

function checkBinsValue(test: string, bins: BinningOptions['bins']): 'auto' | 'quantile' | readonly number[] {
  if (bins === undefined || bins === 'auto' || bins === 'quantile') return bins ?? 'auto';
  if (!Array.isArray(bins)) throw new Error(`${test}: options.bins must be 'auto', 'quantile' or an array of edges, got ${String(bins)}`);
  const edges = bins as readonly unknown[];
  if (edges.length < 2) throw new Error(`${test}: options.bins needs at least 2 edges, got ${edges.length}`);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i];
    if (typeof e !== 'number' || Number.isNaN(e)) throw new Error(`${test}: options.bins[${i}] must be a number, got ${String(e)}`);
    if (i > 0 && !(e > (edges[i - 1] as number))) throw new Error(`${test}: options.bins must be strictly increasing (options.bins[${i}] = ${e})`);
  }
  return bins;
}

/** Default number of quantile bins. */
export const DEFAULT_QUANTILE_BINS = 10;

/**
 * numpy `histogram_bin_edges(data, bins='sturges')` for data of `size` values with the given min and max:
 * width = (max − min)/(log₂ size + 1), ⌈(max − min)/width⌉ equal bins via `linspace`; a constant sample gets [v − ½, v + ½].
 * Cost: O(bins) = O(log size).
 */
export function sturgesEdges(min: number, max: number, size: number): number[] {
  if (!(size >= 1)) throw new Error(`sturgesEdges requires at least 1 data point, got ${size}`);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new Error(`sturgesEdges requires finite min ≤ max, got [${min}, ${max}]`);
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const width = (max - min) / (Math.log2(size) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** numpy `linspace(start, stop, num)` with endpoint, bit for bit: eᵢ = i·step + start, last = stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const out = new Array<number>(num);
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = (step === 0 ? (i / div) * delta : i * step) + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

/**
 * Counts of `values` in the bins [eᵢ, eᵢ₊₁) (last bin closed), values outside [e₀, e_last] ignored — `np.histogram(values, edges)`.
 * Cost: O(n log bins).
 */
export function histogramCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(Math.max(bins, 0)).fill(0);
  if (bins < 1) return counts;
  const lo = edges[0] as number;
  const hi = edges[bins] as number;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x < lo || x > hi) continue;
    const b = x === hi ? bins - 1 : upperBound(edges, x) - 1;
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/** First index i with sorted[i] > x. */
export function upperBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * numpy `quantile(sortedValues, q)` with the default 'linear' method (Hyndman & Fan type 7), bit for bit:
 * index = (n − 1)·q, lerp between neighbours as numpy's `_lerp`. Cost: O(1) on sorted input.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const index = (n - 1) * q;
  if (index >= n - 1) return sorted[n - 1] as number;
  if (index < 0) return sorted[0] as number;
  const below = Math.floor(index);
  const a = sorted[below] as number;
  const b = sorted[below + 1] as number;
  const t = index - below;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Reference-quantile edges: distinct values of numpy `quantile(ref, linspace(0, 1, count + 1))` (ascending).
 * Bins use only the inner edges (outer bins open). Cost: O(count) on sorted input.
 */
export function quantileEdges(sortedReference: ArrayLike<number>, count: number): number[] {
  const all = linspace(0, 1, count + 1)
    .map((q) => quantileSorted(sortedReference, q))
    .sort((a, b) => a - b);
  return all.filter((e, i) => i === 0 || e !== all[i - 1]);
}

/** Counts per bin with open outer bins (quantile and explicit edges): bin i holds inner[i−1] ≤ x < inner[i]. Cost: O(n log count). */
export function quantileBinCounts(values: ArrayLike<number>, edges: readonly number[]): number[] {
  const inner = edges.slice(1, -1);
  const counts = new Array<number>(inner.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = upperBound(inner, values[i] as number);
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/** Counts per distinct value (numbers: −0 and 0 merge, like pandas). Cost: O(n). */
export function countValues<T extends string | number>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Union of the keys of two count maps, sorted ascending (numbers numerically, strings by UTF-16 code units). */
export function unionKeys<T extends string | number>(a: Map<T, number>, b: Map<T, number>): T[] {
  const keys = new Set<T>(a.keys());
  for (const k of b.keys()) keys.add(k);
  return [...keys].sort(compareKeys);
}

export function compareKeys<T extends string | number>(x: T, y: T): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Aligned count vectors over the union of categories. Cost: O(n + k log k). */
export function categoryCounts<T extends string | number>(reference: readonly T[], current: readonly T[]): { keys: T[]; reference: number[]; current: number[] } {
  const r = countValues(reference);
  const c = countValues(current);
  const keys = unionKeys(r, c);
  return { keys, reference: keys.map((k) => r.get(k) ?? 0), current: keys.map((k) => c.get(k) ?? 0) };
}

/** Ascending sorted copy as a Float64Array. Cost: O(n log n). */
export function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Number of distinct values of an ascending-sorted array. Cost: O(n). */
export function distinctSorted(sorted: ArrayLike<number>): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/**
 * Validates both samples and bins them with the rule above (`test` names the caller in error messages).
 * Cost: O(n log n) for numeric data (sorting), O(n + k log k) for categorical.
 */
export function binSamples(test: string, reference: readonly number[] | readonly string[], current: readonly number[] | readonly string[], options: BinningOptions = {}): BinnedCounts {
  const kind = sampleKind(test, 'reference', reference);
  if (kind === 'categorical') {
    assertStringSample(test, 'reference', reference);
    assertStringSample(test, 'current', current);
    checkBins(test, options.bins, 'categorical');
    const counts = categoryCounts<string>(reference, current);
    return { reference: counts.reference, current: counts.current, binning: 'categories' };
  }
  assertNumericSample(test, 'reference', reference);
  assertNumericSample(test, 'current', current);
  const bins = checkBins(test, options.bins, 'numeric');
  if (typeof bins !== 'string') return { reference: quantileBinCounts(reference, bins), current: quantileBinCounts(current, bins), binning: 'edges' };
  const ref = sortedCopy(reference);
  if (bins === 'quantile') {
    const count = options.count ?? DEFAULT_QUANTILE_BINS;
    if (!Number.isInteger(count) || count < 1) throw new Error(`${test}: options.count must be a positive integer, got ${String(count)}`);
    const edges = quantileEdges(ref, count);
    return { reference: quantileBinCounts(ref, edges), current: quantileBinCounts(current, edges), binning: 'quantile' };
  }
  if (distinctSorted(ref) > MAX_VALUE_BINS) {
    let min = ref[0] as number;
    let max = ref[ref.length - 1] as number;
    for (const v of current) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const edges = sturgesEdges(min, max, reference.length + current.length);
    return { reference: histogramCounts(ref, edges), current: histogramCounts(current, edges), binning: 'sturges' };
  }
  const counts = categoryCounts<number>(reference, current);
  return { reference: counts.reference, current: counts.current, binning: 'values' };
}
