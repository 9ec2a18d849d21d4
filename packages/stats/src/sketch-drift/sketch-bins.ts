import type { BinningOptions } from '../drift/binning.js';
import { DEFAULT_QUANTILE_BINS, MAX_VALUE_BINS, checkBins, compareKeys, sturgesEdges } from '../drift/binning.js';
import { OTHER_KEY, TAIL_KEY_PREFIX, tailKey } from '../sketch/category-counts.js';
import { fnv1a32 } from '../sketch/fnv1a.js';
import { clampedBucketsQuantile } from '../sketch/histogram-quantile.js';
import { rebinClampedBuckets } from '../sketch/rebin-histogram.js';
import { alignEdgesInPlace, occupiedIntervals, occupiedRanges } from './bucket-aligned-edges.js';
import type { PreparedCategories, PreparedHistogram, PreparedSketch } from './prepared-sketch.js';
import { hasNonZeroBuckets } from './prepared-sketch.js';

/**
 * Aligned counts of two sketches over common bins, the sketch counterpart of `binSamples`:
 * - `sturges`: numeric data whose reference has more than 20 distinct values — the Sturges edges `binSamples` uses
 *   (numpy Sturges over the combined range with n_ref + n_cur values: min, max and counts are exact in a sketch), each
 *   inner edge that cuts a bucket either histogram may hold values in moved to the nearer end of that bucket at the two
 *   histograms' common scale (`bucketAlignedEdges`: by less than one bucket width; an edge with no free end is dropped);
 * - `quantile`: edges at the reference sketch's quantiles 1/k … (k−1)/k (`histogramQuantile`), moved onto bucket
 *   boundaries the same way, duplicates removed, outer bins open;
 * - `edges`: the caller's edges (`options.bins` an array), used as given, outer bins open;
 * - `buckets`: numeric data with at most 20 distinct reference values — one bin per bucket of either histogram at their
 *   common scale (plus the zero bucket). Exact, one bin per distinct value, whenever no two distinct values share a
 *   bucket (at scale s that needs their ratio to exceed 2^(2^−s));
 * - `categories`: one bin per wire key (exact categories, tail buckets, other) of either side. Exact while each side
 *   has at most K distinct categories. A category exact on one side but absent from a side whose exact slots are all
 *   taken may be hidden in that side's tail, so it is compared through its tail bucket (FNV-1a mod M) on both sides;
 *   with different tail sizes, tails are compared as one `other` bin.
 * Bins are in ascending order (categories by UTF-16 code units, as `binSamples`), so the Z-test codes them alike.
 */
export interface SketchBins {
  readonly reference: number[];
  readonly current: number[];
  readonly binning: 'sturges' | 'quantile' | 'edges' | 'buckets' | 'categories';
  /**
   * The numeric edges binned on, for `sturges`, `quantile` and `edges` (outer edges ±Infinity for the open outer bins
   * of `quantile` and `edges`). `psi(ref, cur, { bins: edges })` and its siblings give the raw-sample statistic on them.
   */
  readonly edges?: number[];
}

/**
 * Counts of both sketches in common bins (see {@link SketchBins}). With `sturges` and `quantile` bins every bucket
 * lies wholly inside one bin, so the counts are those of the raw values on the same edges (a positive value exactly on
 * an edge excepted: its bucket is upper-inclusive). With the caller's `edges`, each bucket an edge cuts spreads its
 * values uniformly (`rebinHistogram`), and each bin count is off by at most the counts of the (at most two) buckets its
 * edges cut. Cost: O(buckets + bins) numeric, O((K + M) log(K + M)) categorical.
 */
export function binSketches(test: string, reference: PreparedSketch, current: PreparedSketch, options: BinningOptions = {}): SketchBins {
  if (reference.kind !== current.kind) throw new Error(`${test}: reference sketch is ${reference.kind} but current sketch is ${current.kind}`);
  if (reference.kind === 'categorical') {
    checkBins(test, options.bins, 'categorical');
    return categoryBins(reference, current as PreparedCategories);
  }
  const cur = current as PreparedHistogram;
  const edges = numericEdges(test, reference, cur, options);
  if (edges === undefined) return bucketBins(reference, cur);
  return { reference: rebinClampedBuckets(reference.buckets, edges.edges), current: rebinClampedBuckets(cur.buckets, edges.edges), ...edges };
}

/** The common scale of two prepared histograms (that of the sides with non-zero buckets; 0 when neither has one). */
function commonScale(reference: PreparedHistogram, current: PreparedHistogram): number {
  const r = hasNonZeroBuckets(reference);
  const c = hasNonZeroBuckets(current);
  if (r && c) return Math.min(reference.data.scale, current.data.scale);
  return r ? reference.data.scale : c ? current.data.scale : 0;
}

/**
 * The edges {@link binSketches} re-bins two numeric sketches onto (`sturges`, `quantile` or the caller's `edges`,
 * options checked as there), or undefined when it takes one bin per bucket instead. Sturges and quantile edges are
 * moved onto the bucket boundaries of the common scale (`alignEdgesInPlace`) unless `alignToBuckets` is false: then they
 * are those before the move, for `walkHistogramPair` to move as it crosses them (`snap`), which costs less.
 * Cost: O(bins + buckets) Sturges, O(k · buckets) quantile.
 */
export function numericEdges(
  test: string,
  reference: PreparedHistogram,
  current: PreparedHistogram,
  options: BinningOptions = {},
  alignToBuckets = true,
): { binning: 'sturges' | 'quantile' | 'edges'; edges: number[] } | undefined {
  const bins = checkBins(test, options.bins, 'numeric');
  if (typeof bins !== 'string') return { binning: 'edges', edges: [-Infinity, ...bins.slice(1, -1), Infinity] };
  const align = (edges: number[]): number[] => {
    if (!alignToBuckets) return edges;
    const scale = commonScale(reference, current);
    return alignEdgesInPlace(edges, scale, occupiedRanges(reference.data, current.data, scale), Math.max(reference.data.zeroThreshold, current.data.zeroThreshold));
  };
  if (bins === 'quantile') {
    const count = options.count ?? DEFAULT_QUANTILE_BINS;
    if (!Number.isInteger(count) || count < 1) throw new Error(`${test}: options.count must be a positive integer, got ${String(count)}`);
    return { binning: 'quantile', edges: align(quantileEdgesOfSketch(reference, count)) };
  }
  if (reference.uniqueCount > MAX_VALUE_BINS) {
    return { binning: 'sturges', edges: align(sturgesEdges(Math.min(reference.min, current.min), Math.max(reference.max, current.max), reference.count + current.count)) };
  }
  return undefined;
}

/** −∞, the distinct reference quantiles at 1/k … (k−1)/k, +∞. Cost: O(k · buckets). */
function quantileEdgesOfSketch(reference: PreparedHistogram, count: number): number[] {
  const inner: number[] = [];
  for (let i = 1; i < count; i++) {
    const q = clampedBucketsQuantile(reference.buckets, reference.count, reference.max, i / count);
    if (inner.length === 0 || q > (inner[inner.length - 1] as number)) inner.push(q);
  }
  return [-Infinity, ...inner, Infinity];
}

/**
 * One range of a prepared histogram at a scale ≤ its own, as `[offset, dense counts]` (the data itself when the
 * scale is its own, so no copy is made). Cost: O(maxSize).
 */
function rangeAt(p: PreparedHistogram, range: 'positive' | 'negative', scale: number): [number, ArrayLike<number>] {
  const buckets = p.data[range];
  const shift = p.data.scale - scale;
  if (shift === 0 || buckets.bucketCounts.length === 0) return [buckets.offset, buckets.bucketCounts];
  const offset = buckets.offset >> shift;
  const counts = new Array<number>(((buckets.offset + buckets.bucketCounts.length - 1) >> shift) - offset + 1).fill(0);
  buckets.bucketCounts.forEach((c, j) => {
    const slot = ((buckets.offset + j) >> shift) - offset;
    counts[slot] = (counts[slot] as number) + c;
  });
  return [offset, counts];
}

/**
 * Both histograms' counts per bucket at their common scale, ascending value (negative buckets by descending index,
 * the zero bucket, positive buckets by ascending index); buckets empty on both sides are left out. Cost: O(maxSize).
 */
export function alignedBucketCounts(reference: PreparedHistogram, current: PreparedHistogram): { reference: number[]; current: number[] } {
  const scale = commonScale(reference, current);
  const ref: number[] = [];
  const cur: number[] = [];
  const push = (r: number, c: number): void => {
    if (r !== 0 || c !== 0) {
      ref.push(r);
      cur.push(c);
    }
  };
  const walk = (range: 'positive' | 'negative'): void => {
    const [ro, rc] = rangeAt(reference, range, scale);
    const [co, cc] = rangeAt(current, range, scale);
    // the occupied index intervals of both sides (each at most maxSize long), merged; the gap between them is skipped
    const intervals = occupiedIntervals([ro, ro + rc.length - 1], [co, co + cc.length - 1]);
    const at = (counts: ArrayLike<number>, offset: number, i: number): number => counts[i - offset] ?? 0;
    if (range === 'negative') {
      for (const [lo, hi] of intervals.reverse()) for (let i = hi; i >= lo; i--) push(at(rc, ro, i), at(cc, co, i));
    } else {
      for (const [lo, hi] of intervals) for (let i = lo; i <= hi; i++) push(at(rc, ro, i), at(cc, co, i));
    }
  };
  walk('negative');
  push(reference.data.zeroCount, current.data.zeroCount);
  walk('positive');
  return { reference: ref, current: cur };
}

/** Bins = buckets of either histogram at their common scale, ascending value. Cost: O(maxSize). */
function bucketBins(reference: PreparedHistogram, current: PreparedHistogram): SketchBins {
  return { ...alignedBucketCounts(reference, current), binning: 'buckets' };
}

function isCategoryKey(key: string): boolean {
  return key !== OTHER_KEY && !key.startsWith(TAIL_KEY_PREFIX);
}

/**
 * One side's counts by aligned key: categories the other side may hide in its tail move to their tail key here;
 * with unequal tail sizes every tail key becomes `other`.
 */
function alignedCounts(own: PreparedCategories, other: PreparedCategories): Map<string, number> {
  const sameTail = own.counts.tailBuckets === other.counts.tailBuckets;
  const out = new Map<string, number>();
  const add = (key: string, count: number): void => {
    out.set(key, (out.get(key) ?? 0) + count);
  };
  for (const [key, count] of own.entries) {
    if (!isCategoryKey(key)) add(key === OTHER_KEY || sameTail ? key : OTHER_KEY, count);
    else if (!other.exactFull || other.entries.has(key)) add(key, count);
    else add(sameTail ? tailKey(fnv1a32(key) % own.counts.tailBuckets) : OTHER_KEY, count);
  }
  return out;
}

/** Bins = aligned wire keys of both sides, ascending. Cost: O((K + M) log(K + M)). */
export function categoryBins(reference: PreparedCategories, current: PreparedCategories): SketchBins {
  const r = alignedCounts(reference, current);
  const c = alignedCounts(current, reference);
  const keys = new Set<string>(r.keys());
  for (const k of c.keys()) keys.add(k);
  const sorted = [...keys].sort(compareKeys);
  return { reference: sorted.map((k) => r.get(k) ?? 0), current: sorted.map((k) => c.get(k) ?? 0), binning: 'categories' };
}
