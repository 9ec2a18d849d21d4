import { BucketWindow } from './bucket-window.js';
import type { ExponentialHistogramBuckets, ExponentialHistogramData } from './exponential-histogram-data.js';
import { validateExponentialHistogramData } from './exponential-histogram-data.js';
import { MAX_SCALE, MIN_SCALE, lowerBoundary, mapToIndex } from './exponential-mapping.js';

/** Construction options of an {@link ExponentialHistogram}. */
export interface ExponentialHistogramOptions {
  /** Maximum number of buckets per range (positive and negative separately). Default 160, at least 3. */
  maxSize?: number;
  /** The starting (and highest) scale, −10 … 20. Default 20. */
  maxScale?: number;
}

/** Read access to one bucket range, shared by live windows and plain data. */
interface BucketRange {
  readonly start: number;
  /** `end < start` when the range has no non-zero bucket. */
  readonly end: number;
  get(index: number): number;
}

/** What `merge`/`diff` read from either an ExponentialHistogram or its plain data. */
interface HistogramSource {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  positive: BucketRange;
  negative: BucketRange;
}

/** A plain `{offset, bucketCounts}` range, narrowed to its non-zero buckets. */
class DataRange implements BucketRange {
  readonly start: number;
  readonly end: number;
  private readonly offset: number;
  private readonly counts: readonly number[];

  constructor(buckets: ExponentialHistogramBuckets) {
    this.offset = buckets.offset;
    this.counts = buckets.bucketCounts;
    let first = 0;
    let last = this.counts.length - 1;
    while (first <= last && this.counts[first] === 0) first++;
    while (last >= first && this.counts[last] === 0) last--;
    this.start = first <= last ? this.offset + first : 0;
    this.end = first <= last ? this.offset + last : -1;
  }

  get(index: number): number {
    return this.counts[index - this.offset] ?? 0;
  }
}

const DEFAULT_MAX_SIZE = 160;

function readOption(value: number | undefined, name: string, fallback: number, low: number, high: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new Error(`ExponentialHistogram options.${name} must be an integer from ${low} to ${high}`);
  }
  return value;
}

/** The smallest `k ≥ 0` with `(high >> k) − (low >> k) < capacity`. Cost: O(log(high − low)). */
function changeToFit(low: number, high: number, capacity: number): number {
  let change = 0;
  while ((high >> change) - (low >> change) >= capacity) change++;
  return change;
}

function isEmpty(range: BucketRange): boolean {
  return range.end < range.start;
}

/** Lowest value any recorded value can have, from the buckets alone (used when data omits `min`). */
function lowestBound(src: Omit<HistogramSource, 'min' | 'max'>): number {
  if (!isEmpty(src.negative)) return -lowerBoundary(src.negative.end + 1, src.scale);
  if (src.zeroCount > 0) return -src.zeroThreshold;
  if (!isEmpty(src.positive)) return lowerBoundary(src.positive.start, src.scale);
  return Infinity;
}

/** Highest value any recorded value can have, from the buckets alone (used when data omits `max`). */
function highestBound(src: Omit<HistogramSource, 'min' | 'max'>): number {
  if (!isEmpty(src.positive)) return lowerBoundary(src.positive.end + 1, src.scale);
  if (src.zeroCount > 0) return src.zeroThreshold;
  if (!isEmpty(src.negative)) return -lowerBoundary(src.negative.start, src.scale);
  return -Infinity;
}

function dataSource(data: ExponentialHistogramData): HistogramSource {
  const base = {
    scale: data.scale,
    zeroCount: data.zeroCount,
    zeroThreshold: data.zeroThreshold,
    count: data.count,
    sum: data.sum,
    positive: new DataRange(data.positive),
    negative: new DataRange(data.negative),
  };
  return {
    ...base,
    min: data.count === 0 ? Infinity : (data.min ?? lowestBound(base)),
    max: data.count === 0 ? -Infinity : (data.max ?? highestBound(base)),
  };
}

/** One range trimmed to its non-zero buckets, into `into` (its array reused) or a new one. */
function toBuckets(range: BucketWindow, into?: ExponentialHistogramBuckets): ExponentialHistogramBuckets {
  let first = range.start;
  let last = range.end;
  while (first <= last && range.get(first) === 0) first++;
  while (last >= first && range.get(last) === 0) last--;
  const out = into ?? { offset: 0, bucketCounts: [] };
  if (first > last) {
    out.offset = 0;
    out.bucketCounts.length = 0;
  } else {
    out.offset = first;
    range.copyInto(first, last, out.bucketCounts);
  }
  return out;
}

/**
 * Base-2 exponential histogram following the OpenTelemetry metrics data model exactly: at scale `s` the base is
 * `b = 2^(2^-s)`, bucket `i` of the positive range counts values in `(b^i, b^(i+1)]`, the negative range counts
 * `−v` the same way, and `zeroCount` holds values with `|v| ≤ zeroThreshold` (0 unless merged data says otherwise).
 * Each range holds at most `maxSize` consecutive buckets; when a value would not fit, the scale drops by the
 * smallest amount that makes everything fit (buckets `i` → `i >> k`, exact by perfect subsetting).
 * The scale therefore ends as the largest scale ≤ `maxScale` at which the data fits, whatever the order of
 * recording or merging. Relative error of any bucket-based estimate is at most `b − 1` (≈ 2^-s · ln 2).
 *
 * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 *
 * Memory: two `Float64Array(maxSize)` (2 × 1.25 KiB at the default 160), whatever the number of values.
 * Counts are doubles: exact up to 2^53. `sum` is a plain double sum and can overflow to ±Infinity for
 * values near ±1.8e308.
 */
export class ExponentialHistogram {
  /** Maximum buckets per range. */
  readonly maxSize: number;
  /** The scale an empty histogram starts at. */
  readonly maxScale: number;
  private _scale: number;
  private _zeroCount = 0;
  private _zeroThreshold = 0;
  private _count = 0;
  private _sum = 0;
  private _min = Infinity;
  private _max = -Infinity;
  private readonly positive: BucketWindow;
  private readonly negative: BucketWindow;

  /** Throws when `maxSize` is not an integer ≥ 3 or `maxScale` is not an integer in [−10, 20]. Cost: O(maxSize). */
  constructor(options: ExponentialHistogramOptions = {}) {
    this.maxSize = readOption(options.maxSize, 'maxSize', DEFAULT_MAX_SIZE, 3, 1 << 20);
    this.maxScale = readOption(options.maxScale, 'maxScale', MAX_SCALE, MIN_SCALE, MAX_SCALE);
    this._scale = this.maxScale;
    this.positive = new BucketWindow(this.maxSize);
    this.negative = new BucketWindow(this.maxSize);
  }

  /** Number of recorded values. */
  get count(): number {
    return this._count;
  }
  /** Sum of recorded values. */
  get sum(): number {
    return this._sum;
  }
  /** Smallest recorded value; `+Infinity` when empty. */
  get min(): number {
    return this._min;
  }
  /** Largest recorded value; `−Infinity` when empty. */
  get max(): number {
    return this._max;
  }
  /** Current scale: base `2^(2^-scale)`. */
  get scale(): number {
    return this._scale;
  }
  /** Values counted in the zero bucket `[−zeroThreshold, zeroThreshold]`. */
  get zeroCount(): number {
    return this._zeroCount;
  }
  /** Half-width of the zero bucket (0 unless raised by merged data). */
  get zeroThreshold(): number {
    return this._zeroThreshold;
  }

  /**
   * Records one value. Returns false and records nothing for NaN and ±Infinity; every finite value is kept
   * (negative, zero, subnormal, up to ±Number.MAX_VALUE).
   *
   * Cost: O(1) and allocation-free; a rare downscale costs O(maxSize).
   */
  record(input: number): boolean {
    if (input - input !== 0) return false; // NaN and ±Infinity
    const value = input + 0; // −0 → +0, so min/max/sum survive JSON
    this._count++;
    this._sum += value;
    if (value < this._min) this._min = value;
    if (value > this._max) this._max = value;
    let abs = value;
    let window = this.positive;
    if (value < 0) {
      abs = -value;
      window = this.negative;
    }
    if (abs <= this._zeroThreshold) {
      this._zeroCount++;
      return true;
    }
    const index = mapToIndex(abs, this._scale);
    if (!window.tryAdd(index, 1)) this.downscaleAndAdd(window, index);
    return true;
  }

  /** Records every value; returns how many were kept. Cost: O(n), allocation-free. */
  recordMany(values: ArrayLike<number>): number {
    let kept = 0;
    for (let k = 0; k < values.length; k++) if (this.record(values[k] as number)) kept++;
    return kept;
  }

  private downscaleAndAdd(window: BucketWindow, index: number): void {
    const change = window.changeToFit(index, index);
    this.downscaleTo(this._scale - change);
    if (!window.tryAdd(index >> change, 1)) throw new Error('ExponentialHistogram: internal error, bucket does not fit after downscaling');
  }

  /** Lowers the scale to `target` (≤ current), merging buckets. Cost: O(maxSize). */
  private downscaleTo(target: number): void {
    const change = this._scale - target;
    if (change <= 0) return;
    this.positive.downscale(change);
    this.negative.downscale(change);
    this._scale = target;
  }

  private source(): HistogramSource {
    return {
      scale: this._scale,
      zeroCount: this._zeroCount,
      zeroThreshold: this._zeroThreshold,
      count: this._count,
      sum: this._sum,
      min: this._min,
      max: this._max,
      positive: this.positive,
      negative: this.negative,
    };
  }

  private static toSource(other: ExponentialHistogram | ExponentialHistogramData, what: string): HistogramSource {
    if (other instanceof ExponentialHistogram) return other.source();
    return dataSource(validateExponentialHistogramData(other, what));
  }

  /**
   * Adds `other` (a histogram or its plain data, validated) into this one. The result has the largest scale
   * ≤ min(this.scale, other.scale) at which the union of both ranges fits in `maxSize` (histograms without
   * buckets do not constrain the scale), so `a.merge(b)` equals recording a's and b's values into one histogram,
   * bucket for bucket. count, sum, zeroCount add; min/max combine. With different zero thresholds the larger one
   * wins, widened to the upper boundary of any bucket it overlaps, and those buckets move to `zeroCount`.
   *
   * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
   * Cost: O(maxSize + buckets of other). Throws (naming the field) when plain data is invalid.
   */
  merge(other: ExponentialHistogram | ExponentialHistogramData): this {
    const src = ExponentialHistogram.toSource(other === this ? this.clone() : other, 'histogram');
    const srcHasBuckets = !isEmpty(src.positive) || !isEmpty(src.negative);
    const common = srcHasBuckets ? Math.min(this._scale, src.scale) : this._scale;
    const thisShift = this._scale - common;
    const srcShift = src.scale - common;
    let change = 0;
    for (const [own, theirs] of [
      [this.positive, src.positive],
      [this.negative, src.negative],
    ] as const) {
      let low = Infinity;
      let high = -Infinity;
      if (!own.isEmpty) {
        low = own.start >> thisShift;
        high = own.end >> thisShift;
      }
      if (!isEmpty(theirs)) {
        low = Math.min(low, theirs.start >> srcShift);
        high = Math.max(high, theirs.end >> srcShift);
      }
      if (low <= high) change = Math.max(change, changeToFit(low, high, this.maxSize));
    }
    const target = common - change;
    this.downscaleTo(target);
    const shift = src.scale - target;
    for (const [own, theirs] of [
      [this.positive, src.positive],
      [this.negative, src.negative],
    ] as const) {
      for (let i = theirs.start; i <= theirs.end; i++) {
        const c = theirs.get(i);
        if (c !== 0 && !own.tryAdd(i >> shift, c)) throw new Error('ExponentialHistogram.merge: internal error, bucket does not fit');
      }
    }
    this._zeroCount += src.zeroCount;
    this._count += src.count;
    this._sum += src.sum;
    if (src.min < this._min) this._min = src.min;
    if (src.max > this._max) this._max = src.max;
    if (src.zeroThreshold > this._zeroThreshold) this._zeroThreshold = src.zeroThreshold;
    if (this._zeroThreshold > 0) this.absorbIntoZeroBucket();
    return this;
  }

  /** Moves buckets that overlap `[−zeroThreshold, zeroThreshold]` into `zeroCount`, widening the threshold to their upper bound. */
  private absorbIntoZeroBucket(): void {
    for (const window of [this.positive, this.negative]) {
      while (!window.isEmpty && lowerBoundary(window.start, this._scale) < this._zeroThreshold) {
        const i = window.start;
        this._zeroCount += window.get(i);
        window.set(i, 0);
        this._zeroThreshold = Math.max(this._zeroThreshold, lowerBoundary(i + 1, this._scale));
        window.start = i + 1;
        window.trim();
      }
    }
  }

  /**
   * `this − previous` for cumulative → delta conversion: `previous` (an earlier state of the same cumulative stream)
   * is brought to the common scale `min(this.scale, previous.scale)` and subtracted bucket by bucket; count, sum and
   * zeroCount subtract. Min and max of a delta cannot be known exactly (OTel data model, "Histogram"): the result
   * takes `this.min` when it is below `previous.min` (the minimum arrived in the delta, exact), otherwise the lower
   * boundary of the delta's lowest non-empty bucket (clamped to ≥ `this.min`); symmetrically for max.
   *
   * Throws an `Error` when `previous.count > this.count`, when any bucket or `zeroCount` would go negative, or when
   * the zero thresholds differ — i.e. when `previous` is not contained in `this` (a reset: take `this` whole).
   *
   * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#temporality
   * Cost: O(maxSize + buckets of previous).
   */
  diff(previous: ExponentialHistogram | ExponentialHistogramData): ExponentialHistogram {
    const prev = ExponentialHistogram.toSource(previous, 'previous');
    if (prev.count > this._count) {
      throw new Error(`ExponentialHistogram.diff: previous count ${prev.count} exceeds current count ${this._count}; previous is not an earlier state of this histogram`);
    }
    if (prev.zeroThreshold !== this._zeroThreshold) {
      throw new Error(`ExponentialHistogram.diff: previous zeroThreshold ${prev.zeroThreshold} differs from current ${this._zeroThreshold}`);
    }
    if (prev.zeroCount > this._zeroCount) {
      throw new Error(`ExponentialHistogram.diff: previous zeroCount ${prev.zeroCount} exceeds current zeroCount ${this._zeroCount}`);
    }
    const result = this.clone();
    const prevHasBuckets = !isEmpty(prev.positive) || !isEmpty(prev.negative);
    const target = prevHasBuckets ? Math.min(this._scale, prev.scale) : this._scale;
    result.downscaleTo(target);
    const shift = prev.scale - target;
    for (const [name, own, theirs] of [
      ['positive', result.positive, prev.positive],
      ['negative', result.negative, prev.negative],
    ] as const) {
      for (let i = theirs.start; i <= theirs.end; i++) {
        const c = theirs.get(i);
        if (c === 0) continue;
        const j = i >> shift;
        const current = own.get(j);
        if (c > current) {
          throw new Error(`ExponentialHistogram.diff: previous ${name} bucket ${j} (scale ${target}) holds ${c}, more than the current ${current}`);
        }
        own.set(j, current - c);
      }
      own.trim();
    }
    result._zeroCount -= prev.zeroCount;
    result._count -= prev.count;
    result._sum -= prev.sum;
    if (result.positive.isEmpty && result.negative.isEmpty) result._scale = result.maxScale;
    if (result._count === 0) {
      result._sum = 0;
      result._min = Infinity;
      result._max = -Infinity;
    } else {
      const source = result.source();
      result._min = this._min < prev.min ? this._min : Math.max(this._min, lowestBound(source));
      result._max = this._max > prev.max ? this._max : Math.min(this._max, highestBound(source));
    }
    return result;
  }

  /** An independent copy with the same options and state. Cost: O(maxSize). */
  clone(): ExponentialHistogram {
    const copy = new ExponentialHistogram({ maxSize: this.maxSize, maxScale: this.maxScale });
    copy._scale = this._scale;
    copy._zeroCount = this._zeroCount;
    copy._zeroThreshold = this._zeroThreshold;
    copy._count = this._count;
    copy._sum = this._sum;
    copy._min = this._min;
    copy._max = this._max;
    copy.positive.copyFrom(this.positive);
    copy.negative.copyFrom(this.negative);
    return copy;
  }

  /**
   * A copy brought down to `scale` (buckets `i` → `i >> (this.scale − scale)`, exact by perfect subsetting), or a plain
   * copy when `scale ≥ this.scale`. Readers comparing two histograms use it to align their bucket boundaries.
   * Throws when `scale` is not an integer ≥ −10. Cost: O(maxSize).
   */
  atScale(scale: number): ExponentialHistogram {
    if (!Number.isInteger(scale) || scale < MIN_SCALE) throw new Error(`ExponentialHistogram.atScale: scale must be an integer ≥ ${MIN_SCALE}, got ${scale}`);
    const copy = this.clone();
    copy.downscaleTo(Math.min(scale, this._scale));
    return copy;
  }

  /** Empties the histogram and returns it to `maxScale`. Cost: O(maxSize). */
  reset(): void {
    this._scale = this.maxScale;
    this._zeroCount = 0;
    this._zeroThreshold = 0;
    this._count = 0;
    this._sum = 0;
    this._min = Infinity;
    this._max = -Infinity;
    this.positive.clear();
    this.negative.clear();
  }

  /**
   * Plain OTLP-shaped data: each range trimmed to its non-zero buckets (`offset` 0 and `[]` when empty);
   * `min`/`max` only when `count > 0`. Cost: O(maxSize).
   */
  toData(): ExponentialHistogramData {
    return this.toDataInto();
  }

  /**
   * {@link toData} written into `into` when given — its bucket arrays reused, `min`/`max` set or deleted — for a reader
   * that uses the data once and drops it (allocating the arrays costs more than copying them). Returns the data.
   * Cost: O(maxSize).
   */
  toDataInto(into?: ExponentialHistogramData): ExponentialHistogramData {
    if (into !== undefined) {
      into.scale = this._scale;
      into.zeroCount = this._zeroCount;
      into.zeroThreshold = this._zeroThreshold;
      toBuckets(this.positive, into.positive);
      toBuckets(this.negative, into.negative);
      into.count = this._count;
      into.sum = this._sum;
      if (this._count > 0) {
        into.min = this._min;
        into.max = this._max;
      } else {
        delete into.min;
        delete into.max;
      }
      return into;
    }
    const data: ExponentialHistogramData = {
      scale: this._scale,
      zeroCount: this._zeroCount,
      zeroThreshold: this._zeroThreshold,
      positive: toBuckets(this.positive),
      negative: toBuckets(this.negative),
      count: this._count,
      sum: this._sum,
    };
    if (this._count > 0) {
      data.min = this._min;
      data.max = this._max;
    }
    return data;
  }

  /**
   * Rebuilds a histogram from plain data (e.g. decoded OTLP). Validates first and throws an `Error` naming the
   * field (`histogram.positive.bucketCounts[3] must be a non-negative finite number`). Data at a scale above
   * `options.maxScale`, or wider than `options.maxSize`, is downscaled. When `min`/`max` are absent they are
   * taken as the outer boundaries of the outermost non-empty buckets.
   *
   * Cost: O(maxSize + number of buckets in data).
   */
  static fromData(data: ExponentialHistogramData, options?: ExponentialHistogramOptions): ExponentialHistogram {
    return new ExponentialHistogram(options).merge(data);
  }

  /**
   * Visits every non-empty bucket of one range by its index at the current scale, ascending index (for the negative
   * range that is descending value). Bucket `i` of the positive range holds values in `(b^i, b^(i+1)]`, of the negative
   * range `−v` for those values. The zero bucket is not visited (see `zeroCount`). Cost: O(maxSize), allocation-free.
   */
  forEachIndexedBucket(range: 'positive' | 'negative', visit: (index: number, count: number) => void): void {
    const window = range === 'positive' ? this.positive : this.negative;
    for (let i = window.start; i <= window.end; i++) {
      const c = window.get(i);
      if (c !== 0) visit(i, c);
    }
  }

  /**
   * Visits every non-empty bucket in ascending value order: negative buckets as `[−b^(i+1), −b^i)`, then the zero
   * bucket as `[−zeroThreshold, zeroThreshold]`, then positive buckets as `(b^i, b^(i+1)]`. Boundaries beyond the
   * double range are reported as 0 or ±Infinity. Cost: O(maxSize).
   */
  forEachBucket(visit: (lower: number, upper: number, count: number) => void): void {
    const s = this._scale;
    const neg = this.negative;
    // each boundary is computed once and shared by the two buckets it separates
    let outer = neg.isEmpty ? 0 : lowerBoundary(neg.end + 1, s);
    for (let i = neg.end; i >= neg.start; i--) {
      const inner = lowerBoundary(i, s);
      const c = neg.get(i);
      if (c !== 0) visit(-outer, -inner, c);
      outer = inner;
    }
    if (this._zeroCount !== 0) visit(this._zeroThreshold === 0 ? 0 : -this._zeroThreshold, this._zeroThreshold, this._zeroCount);
    const pos = this.positive;
    let lower = pos.isEmpty ? 0 : lowerBoundary(pos.start, s);
    for (let i = pos.start; i <= pos.end; i++) {
      const upper = lowerBoundary(i + 1, s);
      const c = pos.get(i);
      if (c !== 0) visit(lower, upper, c);
      lower = upper;
    }
  }
}
