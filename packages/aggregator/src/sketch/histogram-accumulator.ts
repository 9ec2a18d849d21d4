import { MAX_SCALE, MIN_SCALE, lowerBoundary, type ExponentialHistogramData } from '@driftwatch/stats';
import type { ByteReader, ByteWriter } from './byte-codec.js';
import { hasBuckets, type BucketsView, type HistogramView } from './histogram-view.js';
import type { SliceAccumulator } from './slice-accumulator.js';

/** Buckets per range, as in the SDK and the stats package (so merged data equals stats' own merge). */
export const MAX_BUCKETS = 160;
const EMPTY = new Float64Array(0);

/** A growable bucket range that only allocates the span it actually covers. */
class BucketSpan implements BucketsView {
  offset = 0;
  counts: Float64Array = EMPTY;
  start = 0;
  end = -1;

  get isEmpty(): boolean {
    return this.end < this.start;
  }

  clear(): void {
    if (!this.isEmpty) this.counts.fill(0, this.start - this.offset, this.end - this.offset + 1);
    this.start = 0;
    this.end = -1;
  }

  /** Makes `[lo, hi]` addressable, keeping the current counts. */
  ensure(lo: number, hi: number): void {
    if (this.isEmpty) {
      if (this.counts.length < hi - lo + 1 || this.counts.length > 2 * (hi - lo + 1) + 8) this.counts = new Float64Array(hi - lo + 1);
      this.offset = lo;
      this.start = lo;
      this.end = hi;
      return;
    }
    const newLo = Math.min(this.start, lo);
    const newHi = Math.max(this.end, hi);
    if (newLo < this.offset || newHi >= this.offset + this.counts.length) {
      const next = new Float64Array(newHi - newLo + 1);
      next.set(this.counts.subarray(this.start - this.offset, this.end - this.offset + 1), this.start - newLo);
      this.counts = next;
      this.offset = newLo;
    }
    this.start = newLo;
    this.end = newHi;
  }

  get(i: number): number {
    return i < this.start || i > this.end ? 0 : (this.counts[i - this.offset] as number);
  }

  /** Buckets `i → i >> change`, in place. */
  downscale(change: number): void {
    if (change <= 0 || this.isEmpty) return;
    const newStart = this.start >> change;
    const newEnd = this.end >> change;
    const c = this.counts;
    // write index (i >> change) − newStart never exceeds the read index i − offset, so a forward pass is safe
    let write = -1;
    for (let i = this.start; i <= this.end; i++) {
      const w = (i >> change) - newStart;
      const v = c[i - this.offset] as number;
      if (w !== write) {
        write = w;
        c[w] = v;
      } else c[w] = (c[w] as number) + v;
    }
    c.fill(0, newEnd - newStart + 1, this.end - this.offset + 1);
    this.offset = newStart;
    this.start = newStart;
    this.end = newEnd;
  }

  /** Narrows start/end to the non-zero buckets. */
  trim(): void {
    while (this.start <= this.end && this.counts[this.start - this.offset] === 0) this.start++;
    while (this.end >= this.start && this.counts[this.end - this.offset] === 0) this.end--;
  }

  copyFrom(src: BucketsView): void {
    this.clear();
    if (src.end < src.start) return;
    this.ensure(src.start, src.end);
    for (let i = src.start; i <= src.end; i++) this.counts[i - this.offset] = src.counts[i - src.offset] as number;
  }
}

/** The downscale one range needs so that `own` (at `ownShift` above the common scale) and `theirs` fit together. */
function rangeChange(own: BucketSpan, ownShift: number, theirs: BucketsView, srcShift: number): number {
  let low = Infinity;
  let high = -Infinity;
  if (!own.isEmpty) {
    low = own.start >> ownShift;
    high = own.end >> ownShift;
  }
  if (theirs.end >= theirs.start) {
    low = Math.min(low, theirs.start >> srcShift);
    high = Math.max(high, theirs.end >> srcShift);
  }
  return low <= high ? changeToFit(low, high) : 0;
}

/** Adds the buckets of `theirs`, each index shifted right by `shift`, into `own` (already at the target scale). */
function addRange(own: BucketSpan, theirs: BucketsView, shift: number): void {
  if (theirs.end < theirs.start) return;
  own.ensure(theirs.start >> shift, theirs.end >> shift);
  const oc = own.counts;
  const oo = own.offset;
  const tc = theirs.counts;
  const to = theirs.offset;
  if (shift === 0) {
    for (let i = theirs.start; i <= theirs.end; i++) oc[i - oo] = (oc[i - oo] as number) + (tc[i - to] as number);
  } else {
    for (let i = theirs.start; i <= theirs.end; i++) {
      const j = (i >> shift) - oo;
      oc[j] = (oc[j] as number) + (tc[i - to] as number);
    }
  }
}

/** Subtracts `theirs` (indices shifted right by `shift`) from `own`, then trims; false when a bucket would go negative. */
function subtractRange(own: BucketSpan, theirs: BucketsView, shift: number): boolean {
  const tc = theirs.counts;
  const to = theirs.offset;
  for (let i = theirs.start; i <= theirs.end; i++) {
    const c = tc[i - to] as number;
    if (c === 0) continue;
    const j = i >> shift;
    const now = own.get(j);
    if (c > now) return false;
    own.counts[j - own.offset] = now - c;
  }
  own.trim();
  return true;
}

function changeToFit(low: number, high: number): number {
  let change = 0;
  while ((high >> change) - (low >> change) >= MAX_BUCKETS) change++;
  return change;
}

/** Lowest value any recorded value can have, from the buckets alone. */
export function lowestBound(h: HistogramView): number {
  if (h.negative.end >= h.negative.start) return -lowerBoundary(h.negative.end + 1, h.scale);
  if (h.zeroCount > 0) return -h.zeroThreshold;
  if (h.positive.end >= h.positive.start) return lowerBoundary(h.positive.start, h.scale);
  return Infinity;
}

/** Highest value any recorded value can have, from the buckets alone. */
export function highestBound(h: HistogramView): number {
  if (h.positive.end >= h.positive.start) return lowerBoundary(h.positive.end + 1, h.scale);
  if (h.zeroCount > 0) return h.zeroThreshold;
  if (h.negative.end >= h.negative.start) return -lowerBoundary(h.negative.start, h.scale);
  return -Infinity;
}

/**
 * A mutable exponential histogram sized to the bucket span it covers (not a fixed 2 × 160 doubles), used for
 * the open slices of the windows and for cumulative-to-delta. Merge and diff follow the stats package's
 * `ExponentialHistogram` rules exactly (same scale choice, same zero-threshold widening, same min/max of a delta),
 * so a window built here converts to the very histogram stats would have built from the same points.
 *
 * Memory: 8 bytes × (spanned buckets) per non-empty range plus ~150 bytes of fields.
 * Cost: merge O(buckets of both), diff O(buckets of both), downscale O(span).
 */
export class HistogramAccumulator implements HistogramView, SliceAccumulator {
  scale = MAX_SCALE;
  zeroCount = 0;
  zeroThreshold = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly positive = new BucketSpan();
  readonly negative = new BucketSpan();

  get isEmpty(): boolean {
    return this.count === 0 && this.zeroCount === 0 && this.positive.isEmpty && this.negative.isEmpty;
  }

  clear(): void {
    this.scale = MAX_SCALE;
    this.zeroCount = 0;
    this.zeroThreshold = 0;
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.positive.clear();
    this.negative.clear();
  }

  private downscaleTo(target: number): void {
    const change = this.scale - target;
    if (change <= 0) return;
    this.positive.downscale(change);
    this.negative.downscale(change);
    this.scale = target;
  }

  /** Adds `src` (bucket for bucket, downscaling to the largest common scale where both fit in 160 buckets). */
  merge(src: HistogramView): void {
    if (src.count === 0 && src.zeroCount === 0 && !hasBuckets(src)) return;
    const common = hasBuckets(src) ? Math.min(this.scale, src.scale) : this.scale;
    const ownShift = this.scale - common;
    const srcShift = src.scale - common;
    const change = Math.max(rangeChange(this.positive, ownShift, src.positive, srcShift), rangeChange(this.negative, ownShift, src.negative, srcShift));
    const target = Math.max(MIN_SCALE, common - change);
    this.downscaleTo(target);
    const shift = src.scale - target;
    addRange(this.positive, src.positive, shift);
    addRange(this.negative, src.negative, shift);
    this.zeroCount += src.zeroCount;
    this.count += src.count;
    this.sum += src.sum;
    if (src.min < this.min) this.min = src.min;
    if (src.max > this.max) this.max = src.max;
    if (src.zeroThreshold > this.zeroThreshold) this.zeroThreshold = src.zeroThreshold;
    if (this.zeroThreshold > 0) this.absorbIntoZeroBucket();
  }

  private absorbIntoZeroBucket(): void {
    for (const span of [this.positive, this.negative]) {
      while (!span.isEmpty && lowerBoundary(span.start, this.scale) < this.zeroThreshold) {
        const i = span.start;
        this.zeroCount += span.get(i);
        span.counts[i - span.offset] = 0;
        this.zeroThreshold = Math.max(this.zeroThreshold, lowerBoundary(i + 1, this.scale));
        span.start = i + 1;
        span.trim();
      }
    }
  }

  /**
   * Sets this to `current − previous` (cumulative → delta), with the stats package's `diff` rules: common scale,
   * bucket-wise subtraction, and a delta's min/max taken from `current` when it moved past `previous`, else from
   * the delta's outermost buckets. Returns a reason (and leaves this cleared) when `previous` is not contained in
   * `current` — the caller treats that as a reset.
   */
  setDiff(current: HistogramView, previous: HistogramView): string | undefined {
    this.clear();
    if (previous.count > current.count) return 'count decreased';
    if (previous.zeroThreshold !== current.zeroThreshold) return 'zero threshold changed';
    if (previous.zeroCount > current.zeroCount) return 'zero count decreased';
    this.scale = current.scale;
    this.zeroThreshold = current.zeroThreshold;
    this.positive.copyFrom(current.positive);
    this.negative.copyFrom(current.negative);
    const target = hasBuckets(previous) ? Math.min(this.scale, previous.scale) : this.scale;
    this.downscaleTo(target);
    const shift = previous.scale - target;
    if (!subtractRange(this.positive, previous.positive, shift) || !subtractRange(this.negative, previous.negative, shift)) {
      this.clear();
      return 'bucket count decreased';
    }
    this.zeroCount = current.zeroCount - previous.zeroCount;
    this.count = current.count - previous.count;
    this.sum = current.sum - previous.sum;
    if (this.positive.isEmpty && this.negative.isEmpty) this.scale = MAX_SCALE;
    if (this.count === 0) {
      this.sum = 0;
      this.min = Infinity;
      this.max = -Infinity;
    } else {
      this.min = current.min < previous.min ? current.min : Math.max(current.min, lowestBound(this));
      this.max = current.max > previous.max ? current.max : Math.min(current.max, highestBound(this));
    }
    return undefined;
  }

  /** Replaces the content with a copy of `src`. */
  copyFrom(src: HistogramView): void {
    this.clear();
    this.merge(src);
  }

  /** Plain data for the stats package (`ExponentialHistogram.fromData`), each range trimmed to its non-zero buckets. */
  toData(): ExponentialHistogramData {
    const data: ExponentialHistogramData = {
      scale: this.scale,
      zeroCount: this.zeroCount,
      zeroThreshold: this.zeroThreshold,
      positive: spanData(this.positive),
      negative: spanData(this.negative),
      count: this.count,
      sum: this.sum,
    };
    if (this.count > 0) {
      data.min = this.min;
      data.max = this.max;
    }
    return data;
  }

  /**
   * Compact encoding: flags, scale, counts as varints, sum/min/max as float64, each range as its start index,
   * length and zigzag-varint differences between neighbouring buckets (smooth distributions → ~1 byte a bucket).
   */
  encode(w: ByteWriter): void {
    encodeHistogram(this, w);
  }

  mergeEncoded(r: ByteReader): void {
    this.merge(decodeScratch.read(r));
  }
}

function spanData(span: BucketSpan): { offset: number; bucketCounts: number[] } {
  span.trim();
  if (span.isEmpty) return { offset: 0, bucketCounts: [] };
  const bucketCounts: number[] = new Array<number>(span.end - span.start + 1);
  for (let i = span.start; i <= span.end; i++) bucketCounts[i - span.start] = span.counts[i - span.offset] as number;
  return { offset: span.start, bucketCounts };
}

const FLAG_POSITIVE = 1;
const FLAG_NEGATIVE = 2;
const FLAG_ZERO_THRESHOLD = 4;
const FLAG_MIN_MAX = 8;

/** Encodes any histogram view (see {@link HistogramAccumulator.encode}). Counts must be integers. */
export function encodeHistogram(h: HistogramView, w: ByteWriter): void {
  const pos = h.positive.end >= h.positive.start;
  const neg = h.negative.end >= h.negative.start;
  const minMax = h.count > 0 && Number.isFinite(h.min) && Number.isFinite(h.max);
  w.uvarint((pos ? FLAG_POSITIVE : 0) | (neg ? FLAG_NEGATIVE : 0) | (h.zeroThreshold !== 0 ? FLAG_ZERO_THRESHOLD : 0) | (minMax ? FLAG_MIN_MAX : 0));
  w.svarint(h.scale);
  w.uvarint(h.count);
  w.uvarint(h.zeroCount);
  w.f64(h.sum);
  if (h.zeroThreshold !== 0) w.f64(h.zeroThreshold);
  if (minMax) {
    w.f64(h.min);
    w.f64(h.max);
  }
  if (pos) encodeBuckets(h.positive, w);
  if (neg) encodeBuckets(h.negative, w);
}

function encodeBuckets(b: BucketsView, w: ByteWriter): void {
  w.svarint(b.start);
  w.uvarint(b.end - b.start + 1);
  w.neighbourDifferences(b.counts, b.offset, b.start, b.end);
}

/** A decoded histogram whose bucket arrays are reused by the next `read` of the same instance. */
export class DecodedHistogram implements HistogramView {
  scale = 0;
  zeroCount = 0;
  zeroThreshold = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Reused on every `read` (no allocation unless a range is wider than 160 buckets). */
  readonly positive: MutableBucketsView = { offset: 0, counts: new Float64Array(MAX_BUCKETS), start: 0, end: -1 };
  readonly negative: MutableBucketsView = { offset: 0, counts: new Float64Array(MAX_BUCKETS), start: 0, end: -1 };

  /** Reads one encoded histogram. Throws RangeError on corrupt input. */
  read(r: ByteReader): this {
    const flags = r.uvarint();
    this.scale = r.svarint();
    this.count = r.uvarint();
    this.zeroCount = r.uvarint();
    this.sum = r.f64();
    this.zeroThreshold = flags & FLAG_ZERO_THRESHOLD ? r.f64() : 0;
    if (flags & FLAG_MIN_MAX) {
      this.min = r.f64();
      this.max = r.f64();
    } else {
      this.min = Infinity;
      this.max = -Infinity;
    }
    if (this.scale < MIN_SCALE || this.scale > MAX_SCALE) throw new RangeError(`corrupt histogram: scale ${this.scale}`);
    if (flags & FLAG_POSITIVE) readBuckets(r, this.positive);
    else emptyView(this.positive);
    if (flags & FLAG_NEGATIVE) readBuckets(r, this.negative);
    else emptyView(this.negative);
    return this;
  }
}

interface MutableBucketsView extends BucketsView {
  offset: number;
  counts: Float64Array;
  start: number;
  end: number;
}

function emptyView(v: MutableBucketsView): void {
  v.offset = 0;
  v.start = 0;
  v.end = -1;
}

const MAX_DECODED_SPAN = 1 << 16;
const decodeScratch = new DecodedHistogram();

/** Reads one encoded range into `into` (its counts array grows when a range is wider than it). */
function readBuckets(r: ByteReader, into: MutableBucketsView): void {
  const start = r.svarint();
  const length = r.uvarint();
  if (length === 0 || length > MAX_DECODED_SPAN) throw new RangeError(`corrupt histogram: ${length} buckets`);
  if (into.counts.length < length) into.counts = new Float64Array(length);
  r.neighbourSums(into.counts, length);
  into.offset = start;
  into.start = start;
  into.end = start + length - 1;
}
