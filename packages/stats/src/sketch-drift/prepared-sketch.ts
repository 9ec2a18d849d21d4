import type { FeatureSketch } from '../profile/feature-sketch.js';
import type { BucketsScratch, ClampedBuckets } from '../sketch/clamped-buckets.js';
import { clampedBucketsOfData } from '../sketch/clamped-buckets.js';
import type { ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';
import { validateExponentialHistogramData } from '../sketch/exponential-histogram-data.js';
import { downscaleData } from '../sketch/downscale-data.js';
import { OTHER_KEY, TAIL_KEY_PREFIX } from '../sketch/category-counts.js';
import type { CategoryCounts } from '../sketch/category-counts.js';

/**
 * A numeric sketch read once for drift on sketches: its plain data (dense bucket ranges, for bucket-aligned bins), its
 * non-empty buckets clamped to `[min, max]` (shared by every test) and the reference facts the tests need.
 */
export interface PreparedHistogram {
  readonly kind: 'numeric';
  /** The histogram's plain data, read once. */
  readonly data: ExponentialHistogramData;
  /**
   * The non-empty buckets clamped to `[min, max]`, read on first access (the walk of the common tests reads `data` by
   * index and never needs them), or at preparation for data without min/max.
   */
  readonly buckets: ClampedBuckets;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Distinct values: the sketch's own count when it has one, else the number of non-empty buckets (a lower bound). */
  readonly uniqueCount: number;
  /** True when `uniqueCount` was measured on the raw values, not estimated from buckets. */
  readonly uniqueCountKnown: boolean;
  /** Population standard deviation (ddof = 0) when the sketch carries it; else see {@link preparedStd}. */
  readonly std: number | undefined;
  /**
   * Mean of the buckets' CDF estimate, values uniform inside each clamped bucket: Σₖ cₖ·(aₖ + bₖ)/2 / n, read on first
   * use (O(buckets)). `data.sum / count` is the exact mean; `meanCorrectedWasserstein` uses the two.
   */
  readonly bucketMean: number;
}

/** A categorical sketch read once: its wire keys and counts, and how full its exact part is. */
export interface PreparedCategories {
  readonly kind: 'categorical';
  readonly counts: CategoryCounts;
  /** Wire key → count (exact categories, `__dw_tail_<i>__`, `__dw_other__`), non-zero only. */
  readonly entries: ReadonlyMap<string, number>;
  readonly total: number;
  /** True when every exact slot is taken, so a category absent here may hide in a tail bucket. */
  readonly exactFull: boolean;
}

export type PreparedSketch = PreparedHistogram | PreparedCategories;

/**
 * Population standard deviation estimated from a histogram's buckets, assuming values uniform inside each bucket:
 * σ̂² = Σₖ (cₖ/n)·(aₖ² + aₖbₖ + bₖ²)/3 − μ², μ = sum/n (exact). Worst-case error: |σ̂² − σ²| ≤ Σₖ (cₖ/n)·(bₖ − aₖ)·max(|aₖ|, |bₖ|)·2,
 * i.e. of the order of the relative bucket width (`relativeBucketWidth(scale)`) times E[X²].
 * Cost: O(buckets).
 */
export function histogramStd(buckets: ClampedBuckets, count: number, sum: number): number {
  if (!(count > 0)) return 0;
  const mean = sum / count;
  let second = 0;
  const { lower, upper, count: c } = buckets;
  for (let k = 0; k < c.length; k++) {
    const a = lower[k] as number;
    const b = upper[k] as number;
    second += ((c[k] as number) * (a * a + a * b + b * b)) / 3;
  }
  return Math.sqrt(Math.max(0, second / count - mean * mean));
}

function isWireKeyOfCategory(key: string): boolean {
  return key !== OTHER_KEY && !key.startsWith(TAIL_KEY_PREFIX);
}

/**
 * Reads a {@link FeatureSketch} once for the drift tests on sketches; passing the result instead of the sketch
 * lets several tests (and several evaluations of an unchanging reference) share the work.
 * The prepared form is a snapshot: record into the sketch afterwards and it is stale.
 * Throws an `Error` for an empty sketch ("… requires at least 1 data point"). Cost: O(buckets) or O(K + M).
 */
export function prepareSketch(sketch: FeatureSketch | PreparedSketch, test = 'prepareSketch', role: 'reference' | 'current' = 'reference'): PreparedSketch {
  if ('entries' in sketch || 'buckets' in sketch) return sketch;
  if (sketch.kind === 'categorical') {
    const counts = sketch.counts;
    if (!(counts.total > 0)) throw new Error(`${test} requires at least 1 data point in ${role}, got an empty sketch`);
    const entries = new Map<string, number>();
    let exact = 0;
    for (const [key, count] of counts.entries()) {
      entries.set(key, count);
      if (isWireKeyOfCategory(key)) exact++;
    }
    return { kind: 'categorical', counts, entries, total: counts.total, exactFull: exact >= counts.maxExact };
  }
  // an ExponentialHistogram's own data is valid by construction: it is not checked again
  return preparedHistogram(sketch.histogram.toData(), sketch, test, role);
}

/**
 * {@link prepareSketch} for a sketch read once and dropped: a numeric sketch's data is written into `scratch` (its arrays
 * reused), so the result is valid only until the scratch's next use. Cost: O(buckets) or O(K + M).
 */
export function prepareSketchOnce(sketch: FeatureSketch | PreparedSketch, test: string, role: 'reference' | 'current', scratch: ExponentialHistogramData): PreparedSketch {
  // an empty sketch is refused by prepareSketch, before the scratch would lose its min/max (and its fast properties)
  if ('entries' in sketch || 'buckets' in sketch || sketch.kind === 'categorical' || sketch.histogram.count === 0) return prepareSketch(sketch, test, role);
  return preparedHistogram(sketch.histogram.toDataInto(scratch), sketch, test, role);
}

/** An empty {@link ExponentialHistogramData} to pass as a scratch. */
export function dataScratch(): ExponentialHistogramData {
  return { scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] }, count: 0, sum: 0 };
}

/** Facts a reference profile knows exactly and a histogram does not. */
export interface HistogramFacts {
  /** Distinct raw values. */
  readonly uniqueCount?: number;
  /** Population standard deviation (ddof = 0). */
  readonly std?: number;
}

/**
 * {@link prepareSketch} from a histogram's plain data (e.g. decoded OTLP or a window read by the aggregator), without
 * building an `ExponentialHistogram`: validated (throws an `Error` naming the field), brought down to `maxScale` when it
 * is finer, and read once. With `scratch` the clamped buckets, when first read (by a test that needs them), are read
 * into it (no allocation): the result is then only valid until the scratch's next use — for a sketch used once and
 * dropped, before the next one is prepared into the same scratch. Cost: O(buckets).
 */
export function prepareHistogramData(
  data: ExponentialHistogramData,
  facts: HistogramFacts = {},
  test = 'prepareSketch',
  role: 'reference' | 'current' = 'reference',
  maxScale?: number,
  scratch?: BucketsScratch,
): PreparedHistogram {
  return preparedHistogram(validateExponentialHistogramData(data, `${test}: ${role}`), facts, test, role, maxScale, scratch);
}

/** {@link prepareHistogramData} of data known to be valid. */
function preparedHistogram(
  valid: ExponentialHistogramData,
  facts: HistogramFacts,
  test: string,
  role: 'reference' | 'current',
  maxScale?: number,
  scratch?: BucketsScratch,
): PreparedHistogram {
  if (!(valid.count > 0)) throw new Error(`${test} requires at least 1 data point in ${role}, got an empty sketch`);
  const scaled = maxScale === undefined ? valid : downscaleData(valid, maxScale);
  const known = facts.uniqueCount !== undefined && Number.isFinite(facts.uniqueCount) && facts.uniqueCount >= 1;
  const std = facts.std !== undefined && Number.isFinite(facts.std) && facts.std >= 0 ? facts.std : undefined;
  const unique = known ? (facts.uniqueCount as number) : undefined;
  const { min, max } = scaled;
  if (min === undefined || max === undefined) {
    // without min/max the outer ends of the buckets stand in for them: the buckets are read now
    const buckets = clampedBucketsOfData(scaled, scratch);
    const low = min ?? (buckets.lower[0] as number);
    const high = max ?? (buckets.upper[buckets.count.length - 1] as number);
    return new LazyPreparedHistogram(scaled, low, high, unique, known, std, scratch, buckets);
  }
  return new LazyPreparedHistogram(scaled, min, max, unique, known, std, scratch);
}

/**
 * A prepared histogram whose clamped buckets (unless given) and bucket-estimated distinct count (unless known) are read
 * on first use.
 * A class for its prototype getters: an object literal with accessors costs about a microsecond to create.
 */
class LazyPreparedHistogram implements PreparedHistogram {
  readonly kind = 'numeric';
  readonly count: number;
  private clamped: ClampedBuckets | undefined;
  private unique: number;
  private modelMean = NaN;

  constructor(
    readonly data: ExponentialHistogramData,
    readonly min: number,
    readonly max: number,
    uniqueCount: number | undefined,
    readonly uniqueCountKnown: boolean,
    readonly std: number | undefined,
    private readonly scratch: BucketsScratch | undefined,
    clamped?: ClampedBuckets,
  ) {
    this.count = data.count;
    this.unique = uniqueCount ?? -1;
    this.clamped = clamped;
  }

  get buckets(): ClampedBuckets {
    return (this.clamped ??= clampedBucketsOfData(this.data, this.scratch));
  }

  get uniqueCount(): number {
    if (this.unique < 0) this.unique = occupiedBuckets(this.data);
    return this.unique;
  }

  get bucketMean(): number {
    if (Number.isNaN(this.modelMean)) {
      const { lower, upper, count } = this.buckets;
      let moment = 0;
      for (let k = 0; k < count.length; k++) moment += (count[k] as number) * ((lower[k] as number) + (upper[k] as number));
      this.modelMean = (0.5 * moment) / this.count;
    }
    return this.modelMean;
  }
}


/** Non-empty buckets of a histogram's data, the zero bucket included. Cost: O(buckets). */
function occupiedBuckets(data: ExponentialHistogramData): number {
  let k = data.zeroCount > 0 ? 1 : 0;
  for (const c of data.negative.bucketCounts) if (c !== 0) k++;
  for (const c of data.positive.bucketCounts) if (c !== 0) k++;
  return k;
}

/** The population std of a prepared histogram: the one it carries, else estimated from its buckets ({@link histogramStd}). */
export function preparedStd(p: PreparedHistogram): number {
  return p.std ?? histogramStd(p.buckets, p.count, p.data.sum);
}

/** Total count of a prepared sketch. */
export function preparedCount(p: PreparedSketch): number {
  return p.kind === 'numeric' ? p.count : p.total;
}

/** True when a prepared histogram has values outside its zero bucket (only then does its scale mean anything). */
export function hasNonZeroBuckets(p: PreparedHistogram): boolean {
  return p.count > p.data.zeroCount;
}

/** `p` brought down to `scale`, keeping the facts measured on the raw values. Cost: O(buckets). */
function downscaled(p: PreparedHistogram, scale: number): PreparedHistogram {
  return new LazyPreparedHistogram(downscaleData(p.data, scale), p.min, p.max, p.uniqueCount, p.uniqueCountKnown, p.std, undefined);
}

/**
 * Two numeric sketches brought to their common (coarser) scale, so that both CDF estimates have the same bucket
 * boundaries: there the difference F̂_ref − F̂_cur is exact, and interpolation errors inside a bucket are alike on both
 * sides instead of adding up. Other pairs are returned as they are. Cost: O(buckets) when a scale changes, else O(1).
 */
export function alignScales(reference: PreparedSketch, current: PreparedSketch): [PreparedSketch, PreparedSketch] {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric' || !hasNonZeroBuckets(reference) || !hasNonZeroBuckets(current)) return [reference, current];
  const r = reference.data.scale;
  const c = current.data.scale;
  if (r === c) return [reference, current];
  return r > c ? [downscaled(reference, c), current] : [reference, downscaled(current, r)];
}
