import { MAX_SCALE, MIN_SCALE, lowerBoundary, type ExponentialHistogramData } from '@driftwatch/stats';
import type { ByteReader, ByteWriter } from './byte-codec.js';
import { hasBuckets, type BucketsView, type HistogramView } from './histogram-view.js';
import type { SliceAccumulator } from './slice-accumulator.js';

/** Buckets per range, as in the SDK and the stats package (so merged data equals stats' own merge). */
export const MAX_BUCKETS = 160;
const EMPTY = new Float64Array(0);

/** Largest count a `Uint32Array` bucket holds; a compact range widens to `Float64Array` beyond it. */
const MAX_U32 = 0xffff_ffff;

/**
 * A growable bucket range that only allocates the span it actually covers. A compact range keeps its counts in a
 * `Uint32Array` (4 bytes a bucket: the open slices of the windows) and moves to a `Float64Array` the first time a count
 * would exceed 2^32 − 1, so counts stay exact integers up to 2^53 either way.
 */
class BucketSpan implements BucketsView {
  offset = 0;
  counts: Float64Array | Uint32Array = EMPTY;
  start = 0;
  end = -1;

  constructor(private readonly compact: boolean) {}

  get isEmpty(): boolean {
    return this.end < this.start;
  }

  clear(): void {
    if (!this.isEmpty) this.counts.fill(0, this.start - this.offset, this.end - this.offset + 1);
    this.start = 0;
    this.end = -1;
  }

  /** A zeroed counts array: 32-bit for a compact range unless its counts already needed 64-bit ones (`wide`). */
  private allocate(length: number, wide: boolean): Float64Array | Uint32Array {
    return this.compact && !wide ? new Uint32Array(length) : new Float64Array(length);
  }

  /** Makes `[lo, hi]` addressable, keeping the current counts. */
  ensure(lo: number, hi: number): void {
    if (this.isEmpty) {
      // a long-lived (compact) range gives back memory after a wide span; a scratch keeps its largest array
      if (this.counts.length < hi - lo + 1 || (this.compact && this.counts.length > 2 * (hi - lo + 1) + 8)) this.counts = this.allocate(hi - lo + 1, false);
      this.offset = lo;
      this.start = lo;
      this.end = hi;
      return;
    }
    const newLo = Math.min(this.start, lo);
    const newHi = Math.max(this.end, hi);
    if (newLo < this.offset || newHi >= this.offset + this.counts.length) {
      const c = this.counts;
      const from = this.start - this.offset;
      const to = this.end - this.offset + 1;
      const at = this.start - newLo;
      if (newHi - newLo + 1 <= c.length) {
        // the union fits in the array: the counts move within it (one memmove), which costs far less than a new array
        c.copyWithin(at, from, to);
        // and what they leave behind is zeroed (everything outside start..end is zero)
        if (at > from) c.fill(0, from, Math.min(at, to));
        else c.fill(0, Math.max(at + to - from, from), to);
      } else {
        const next = this.allocate(newHi - newLo + 1, c instanceof Float64Array);
        next.set(c.subarray(from, to), at);
        this.counts = next;
      }
      this.offset = newLo;
    }
    this.start = newLo;
    this.end = newHi;
  }

  /** Moves the counts to a `Float64Array` (a count is about to exceed 2^32 − 1); returns the new array. */
  widen(): Float64Array {
    const c = this.counts;
    if (c instanceof Float64Array) return c;
    const next = new Float64Array(c.length);
    next.set(c);
    this.counts = next;
    return next;
  }

  get(i: number): number {
    return i < this.start || i > this.end ? 0 : (this.counts[i - this.offset] as number);
  }

  /** Buckets `i → i >> change`, in place. */
  downscale(change: number): void {
    if (change <= 0 || this.isEmpty) return;
    const newStart = this.start >> change;
    const newEnd = this.end >> change;
    let c = this.counts;
    // write index (i >> change) − newStart never exceeds the read index i − offset, so a forward pass is safe
    let write = -1;
    for (let i = this.start; i <= this.end; i++) {
      const w = (i >> change) - newStart;
      const v = c[i - this.offset] as number;
      if (w !== write) {
        write = w;
        c[w] = v;
      } else {
        const sum = (c[w] as number) + v;
        if (sum > MAX_U32) c = this.widen();
        c[w] = sum;
      }
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
    // counts outside `src`'s range must be zero afterwards: when its range covers ours, every one is overwritten
    if (src.end < src.start || this.isEmpty || src.start > this.start || src.end < this.end) this.clear();
    if (src.end < src.start) return;
    this.ensure(src.start, src.end);
    let c = this.counts;
    const o = this.offset;
    const sc = src.counts;
    const so = src.offset;
    for (let i = src.start; i <= src.end; i++) {
      const v = sc[i - so] as number;
      if (v > MAX_U32) c = this.widen();
      c[i - o] = v;
    }
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

/** {@link rangeChange} against a range given by its bounds (`end < start` when empty). */
function rangeChangeOf(own: BucketSpan, ownShift: number, start: number, end: number, srcShift: number): number {
  let low = Infinity;
  let high = -Infinity;
  if (!own.isEmpty) {
    low = own.start >> ownShift;
    high = own.end >> ownShift;
  }
  if (end >= start) {
    low = Math.min(low, start >> srcShift);
    high = Math.max(high, end >> srcShift);
  }
  return low <= high ? changeToFit(low, high) : 0;
}

/** Adds the buckets of `theirs`, each index shifted right by `shift`, into `own` (already at the target scale). */
function addRange(own: BucketSpan, theirs: BucketsView, shift: number): void {
  if (theirs.end < theirs.start) return;
  own.ensure(theirs.start >> shift, theirs.end >> shift);
  let oc = own.counts;
  const oo = own.offset;
  const tc = theirs.counts;
  const to = theirs.offset;
  if (shift === 0) {
    for (let i = theirs.start; i <= theirs.end; i++) {
      const v = (oc[i - oo] as number) + (tc[i - to] as number);
      if (v > MAX_U32) oc = own.widen();
      oc[i - oo] = v;
    }
  } else {
    for (let i = theirs.start; i <= theirs.end; i++) {
      const j = (i >> shift) - oo;
      const v = (oc[j] as number) + (tc[i - to] as number);
      if (v > MAX_U32) oc = own.widen();
      oc[j] = v;
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

/** What the end of a diff reads from the previous point. */
interface DiffScalars {
  readonly zeroCount: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** The histogram fields a diff sets once its buckets are known. */
interface DeltaScalars extends HistogramView {
  scale: number;
  zeroCount: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * The scalars of `delta = current − previous` once its buckets are in: counts and sum by difference, the scale of an
 * empty delta reset, and min/max taken from `current` when it moved past `previous`, else from the delta's outermost
 * buckets (the stats package's `diff` rules).
 */
function finishDelta(delta: DeltaScalars, current: HistogramView, previous: DiffScalars): void {
  delta.zeroCount = current.zeroCount - previous.zeroCount;
  delta.count = current.count - previous.count;
  delta.sum = current.sum - previous.sum;
  if (delta.positive.end < delta.positive.start && delta.negative.end < delta.negative.start) delta.scale = MAX_SCALE;
  if (delta.count === 0) {
    delta.sum = 0;
    delta.min = Infinity;
    delta.max = -Infinity;
  } else {
    delta.min = current.min < previous.min ? current.min : Math.max(current.min, lowestBound(delta));
    delta.max = current.max > previous.max ? current.max : Math.min(current.max, highestBound(delta));
  }
}

/**
 * A mutable exponential histogram sized to the bucket span it covers (not a fixed 2 × 160 doubles), used for
 * the open slices of the windows and for cumulative-to-delta. Merge and diff follow the stats package's
 * `ExponentialHistogram` rules exactly (same scale choice, same zero-threshold widening, same min/max of a delta),
 * so a window built here converts to the very histogram stats would have built from the same points.
 *
 * Memory: per non-empty range 8 bytes × (spanned buckets), or 4 bytes with `compactCounts` (32-bit counts that widen
 * to 64-bit on overflow, see {@link BucketSpan}), plus ~200 bytes of fields.
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
  readonly positive: BucketSpan;
  readonly negative: BucketSpan;

  /** `compactCounts`: 32-bit bucket counts (half the memory; what long-lived accumulators use). */
  constructor(private readonly compactCounts = false) {
    this.positive = new BucketSpan(compactCounts);
    this.negative = new BucketSpan(compactCounts);
  }

  get isEmpty(): boolean {
    return this.count === 0 && this.zeroCount === 0 && this.positive.isEmpty && this.negative.isEmpty;
  }

  /**
   * True when adding a histogram of `count` values cannot take a 32-bit bucket count past 2^32 − 1 (a bucket never
   * exceeds its histogram's count), so its buckets can be added without checking each sum.
   */
  fitsWithoutWidening(count: number): boolean {
    return !this.compactCounts || this.count + count <= MAX_U32;
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
    this.addScalars(src);
  }

  /** The end of {@link merge}, once the buckets are added: counts, sum, min/max and the zero threshold. */
  addScalars(src: HistogramView): void {
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
    const reset = resetReason(current, previous);
    if (reset !== undefined) return reset;
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
    this.finishDiff(current, previous);
    return undefined;
  }

  /** The scalars of `current − previous` once the buckets are subtracted (the end of {@link setDiff}). */
  private finishDiff(current: HistogramView, previous: DiffScalars): void {
    finishDelta(this, current, previous);
  }

  /** Replaces the content with a copy of `src`. */
  copyFrom(src: HistogramView): void {
    this.clear();
    this.merge(src);
  }

  /**
   * Replaces the content with `src` exactly as it is — scalars and bucket ranges copied, no zero-threshold absorption
   * or rescaling as {@link copyFrom} (a merge) would do: what a stream keeps of its last cumulative point. Cost:
   * O(buckets), no allocation unless a range outgrows its array.
   */
  setTo(src: HistogramView): void {
    this.setScalars(src);
    this.positive.copyFrom(src.positive);
    this.negative.copyFrom(src.negative);
  }

  /** The scalars of {@link setTo} alone (scale, counts, sum, min/max, zero threshold): the buckets are left as they are. */
  setScalars(src: HistogramView): void {
    this.scale = src.scale;
    this.zeroCount = src.zeroCount;
    this.zeroThreshold = src.zeroThreshold;
    this.count = src.count;
    this.sum = src.sum;
    this.min = src.min;
    this.max = src.max;
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
   * length and the differences between neighbouring buckets — zigzag varints (smooth distributions → ~1 byte a
   * bucket), or with `dense` adaptive Rice codes (~0.4–0.6 byte a bucket, decoded at half the speed).
   */
  encode(w: ByteWriter, dense = false): void {
    encodeHistogram(this, w, dense);
  }

  /**
   * Adds one encoded histogram (same result as `merge` of the decoded one). A payload with only positive buckets is
   * added while it is decoded, without a scratch histogram in between (reading a window merges such payloads).
   * Throws a RangeError on corrupt input (the content is then unspecified).
   */
  mergeEncoded(r: ByteReader): void {
    const at = r.pos;
    const h = readHeader(r, mergeHeader);
    const positive = (h.flags & FLAG_POSITIVE) !== 0;
    const negative = (h.flags & FLAG_NEGATIVE) !== 0;
    // 32-bit counts take the direct path only when no bucket can reach 2^32 (a bucket never exceeds its histogram's count)
    if ((h.flags & FLAG_RICE) !== 0 || (!positive && !negative) || (this.compactCounts && this.count + h.count > MAX_U32)) {
      r.pos = at;
      this.merge(decodeScratch.read(r));
      return;
    }
    // both ranges' bounds first (the positive counts skipped over), since the scale both need decides where counts go
    let ps = 0;
    let pe = -1;
    let pAt = 0;
    let ns = 0;
    let ne = -1;
    let nAt = 0;
    if (positive) {
      ps = r.svarint();
      pe = ps + checkedLength(r.uvarint()) - 1;
      pAt = r.pos;
      if (negative) r.skipVarints(pe - ps + 1);
    }
    if (negative) {
      ns = r.svarint();
      ne = ns + checkedLength(r.uvarint()) - 1;
      nAt = r.pos;
    }
    // as merge(): the common scale, the downscale both ranges need to fit, then the buckets added at that scale
    const common = Math.min(this.scale, h.scale);
    const ownShift = this.scale - common;
    const srcShift = h.scale - common;
    const change = Math.max(rangeChangeOf(this.positive, ownShift, ps, pe, srcShift), rangeChangeOf(this.negative, ownShift, ns, ne, srcShift));
    const target = Math.max(MIN_SCALE, common - change);
    this.downscaleTo(target);
    const shift = h.scale - target;
    const limit = this.compactCounts ? MAX_U32 : Infinity;
    if (positive) {
      const own = this.positive;
      own.ensure(ps >> shift, pe >> shift);
      r.pos = pAt;
      r.addNeighbourSums(own.counts, ps, pe - ps + 1, shift, own.offset, limit);
    }
    if (negative) {
      const own = this.negative;
      own.ensure(ns >> shift, ne >> shift);
      r.pos = nAt;
      r.addNeighbourSums(own.counts, ns, ne - ns + 1, shift, own.offset, limit);
    }
    this.zeroCount += h.zeroCount;
    this.count += h.count;
    this.sum += h.sum;
    if (h.min < this.min) this.min = h.min;
    if (h.max > this.max) this.max = h.max;
    if (h.zeroThreshold > this.zeroThreshold) this.zeroThreshold = h.zeroThreshold;
    if (this.zeroThreshold > 0) this.absorbIntoZeroBucket();
  }
}

/** {@link HistogramAccumulator.toData} into `into`, reusing its bucket arrays (for data read once and dropped). */
export function histogramDataInto(h: HistogramAccumulator, into: ExponentialHistogramData): ExponentialHistogramData {
  into.scale = h.scale;
  into.zeroCount = h.zeroCount;
  into.zeroThreshold = h.zeroThreshold;
  spanDataInto(h.positive, into.positive);
  spanDataInto(h.negative, into.negative);
  into.count = h.count;
  into.sum = h.sum;
  if (h.count > 0) {
    into.min = h.min;
    into.max = h.max;
  } else {
    delete into.min;
    delete into.max;
  }
  return into;
}

function spanDataInto(span: BucketSpan, into: { offset: number; bucketCounts: number[] }): void {
  span.trim();
  const out = into.bucketCounts;
  if (span.isEmpty) {
    into.offset = 0;
    out.length = 0;
    return;
  }
  const n = span.end - span.start + 1;
  into.offset = span.start;
  out.length = n;
  const c = span.counts;
  const o = span.start - span.offset;
  for (let k = 0; k < n; k++) out[k] = c[o + k] as number;
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
/** The ranges hold Rice codes ({@link ByteWriter.riceDifferences}); without it, zigzag varints (the only form before). */
const FLAG_RICE = 16;

/**
 * Encodes any histogram view (see {@link HistogramAccumulator.encode}); `dense` codes the buckets with adaptive Rice
 * codes instead of varints. Counts must be integers.
 */
export function encodeHistogram(h: HistogramView, w: ByteWriter, dense = false): void {
  const pos = h.positive.end >= h.positive.start;
  const neg = h.negative.end >= h.negative.start;
  const rice = dense && (pos || neg);
  writeHeader(h, w, (pos ? FLAG_POSITIVE : 0) | (neg ? FLAG_NEGATIVE : 0) | (rice ? FLAG_RICE : 0));
  if (pos) encodeBuckets(h.positive, w, rice);
  if (neg) encodeBuckets(h.negative, w, rice);
}

/** The header of {@link encodeHistogram}: `rangeFlags` (positive, negative, Rice) plus what `h` itself says. */
function writeHeader(h: HistogramView, w: ByteWriter, rangeFlags: number): void {
  const minMax = h.count > 0 && Number.isFinite(h.min) && Number.isFinite(h.max);
  w.uvarint(rangeFlags | (h.zeroThreshold !== 0 ? FLAG_ZERO_THRESHOLD : 0) | (minMax ? FLAG_MIN_MAX : 0));
  w.svarint(h.scale);
  w.uvarint(h.count);
  w.uvarint(h.zeroCount);
  w.f64(h.sum);
  if (h.zeroThreshold !== 0) w.f64(h.zeroThreshold);
  if (minMax) {
    w.f64(h.min);
    w.f64(h.max);
  }
}

function encodeBuckets(b: BucketsView, w: ByteWriter, rice: boolean): void {
  w.svarint(b.start);
  w.uvarint(b.end - b.start + 1);
  if (rice) w.riceDifferences(b.counts, b.offset, b.start, b.end);
  else w.neighbourDifferences(b.counts, b.offset, b.start, b.end);
}

/** The fields of an encoded histogram before its bucket ranges. */
/** The totals a cumulative point and its predecessor are compared on. */
type PointTotals = Pick<HistogramView, 'count' | 'zeroCount' | 'zeroThreshold'>;

/** Why `current` cannot follow `previous` in one cumulative stream (a reset), judged on the totals; undefined when it can. */
function resetReason(current: PointTotals, previous: PointTotals): string | undefined {
  if (previous.count > current.count) return 'count decreased';
  if (previous.zeroThreshold !== current.zeroThreshold) return 'zero threshold changed';
  if (previous.zeroCount > current.zeroCount) return 'zero count decreased';
  return undefined;
}

interface EncodedHeader {
  flags: number;
  scale: number;
  count: number;
  zeroCount: number;
  sum: number;
  zeroThreshold: number;
  min: number;
  max: number;
}

function emptyHeader(): EncodedHeader {
  return { flags: 0, scale: 0, count: 0, zeroCount: 0, sum: 0, zeroThreshold: 0, min: Infinity, max: -Infinity };
}

const mergeHeader = emptyHeader();

/** Reads the header of an encoded histogram into `into` (min/max ±Infinity when absent). Throws RangeError on corrupt input. */
function readHeader(r: ByteReader, into: EncodedHeader): EncodedHeader {
  const flags = r.uvarint();
  into.flags = flags;
  into.scale = r.svarint();
  into.count = r.uvarint();
  into.zeroCount = r.uvarint();
  into.sum = r.f64();
  into.zeroThreshold = flags & FLAG_ZERO_THRESHOLD ? r.f64() : 0;
  if (flags & FLAG_MIN_MAX) {
    into.min = r.f64();
    into.max = r.f64();
  } else {
    into.min = Infinity;
    into.max = -Infinity;
  }
  if (into.scale < MIN_SCALE || into.scale > MAX_SCALE) throw new RangeError(`corrupt histogram: scale ${into.scale}`);
  return into;
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
  private readonly header = emptyHeader();

  /** Reads one encoded histogram. Throws RangeError on corrupt input. */
  read(r: ByteReader): this {
    const h = readHeader(r, this.header);
    this.scale = h.scale;
    this.count = h.count;
    this.zeroCount = h.zeroCount;
    this.sum = h.sum;
    this.zeroThreshold = h.zeroThreshold;
    this.min = h.min;
    this.max = h.max;
    const rice = (h.flags & FLAG_RICE) !== 0;
    if (h.flags & FLAG_POSITIVE) readBuckets(r, this.positive, rice);
    else emptyView(this.positive);
    if (h.flags & FLAG_NEGATIVE) readBuckets(r, this.negative, rice);
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
function checkedLength(length: number): number {
  if (length === 0 || length > MAX_DECODED_SPAN) throw new RangeError(`corrupt histogram: ${length} buckets`);
  return length;
}

/** Reads one encoded range into `into` (its counts array grows when a range is wider than it). */
function readBuckets(r: ByteReader, into: MutableBucketsView, rice: boolean): void {
  const start = r.svarint();
  const length = checkedLength(r.uvarint());
  if (into.counts.length < length) into.counts = new Float64Array(length);
  if (rice) r.riceSums(into.counts, length);
  else r.neighbourSums(into.counts, length);
  into.offset = start;
  into.start = start;
  into.end = start + length - 1;
}

/** Where the delta of a cumulative point goes: a histogram (added bucket for bucket) or anything that merges one. */
export type DeltaTarget = HistogramAccumulator | { merge(h: HistogramView): void };

/**
 * The cumulative → delta step of an ingested point in one pass over its buckets: adds `current − previous` (the stream's
 * previous point, kept unpacked by {@link HistogramAccumulator.setTo}) to `target()` and makes `previous` a copy of
 * `current` (the stream's next previous point), whatever the answer. Same result as `scratch.setDiff(current, previous)`,
 * then `target().merge(scratch)` when the delta holds values — which is what it does outside the common case (same
 * scale, positive buckets only, the previous range inside the current one, a non-empty target at most as fine as the
 * point with room for its buckets and no 32-bit count it could overflow).
 * `target` is called only when the delta holds values. Returns false when `previous` is not contained in `current` (a
 * reset: nothing was added). Cost: O(buckets of both), no allocation unless a range of `previous` outgrows its array.
 */
export function addCumulativeDeltaFrom(current: HistogramView, previous: HistogramAccumulator, target: () => DeltaTarget, scratch: HistogramAccumulator): boolean {
  const cp = current.positive;
  const pp = previous.positive;
  let t: DeltaTarget | undefined;
  if (
    previous.negative.isEmpty &&
    current.negative.end < current.negative.start &&
    cp.end >= cp.start &&
    (pp.isEmpty || (previous.scale === current.scale && pp.start >= cp.start && pp.end <= cp.end)) &&
    previous.count < current.count &&
    previous.zeroThreshold === current.zeroThreshold &&
    previous.zeroCount <= current.zeroCount
  ) {
    t = target();
    if (
      t instanceof HistogramAccumulator &&
      !t.isEmpty &&
      current.scale >= t.scale &&
      t.fitsWithoutWidening(current.count) &&
      rangeChangeOf(t.positive, 0, cp.start, cp.end, current.scale - t.scale) === 0
    ) {
      // a delta leaves `current`'s buckets in `previous` (its negative range is empty, as `current`'s); a reset, not all
      if (!addFusedFrom(current, previous, t)) {
        previous.setTo(current);
        return false;
      }
      previous.setScalars(current);
      return true;
    }
  }
  const reset = scratch.setDiff(current, previous) !== undefined;
  previous.setTo(current);
  if (reset) return false;
  if (scratch.count > 0 || scratch.zeroCount > 0) (t ?? target()).merge(scratch);
  return true;
}

/** The delta's bounds and scalars in {@link addFusedFrom} (its buckets go straight into the target). */
const fusedDelta = {
  scale: 0,
  zeroCount: 0,
  zeroThreshold: 0,
  count: 0,
  sum: 0,
  min: Infinity,
  max: -Infinity,
  positive: { offset: 0, counts: EMPTY, start: 0, end: -1 } as MutableBucketsView,
  negative: { offset: 0, counts: EMPTY, start: 0, end: -1 } as BucketsView,
};

/** Per bucket, what {@link addFusedFrom} added (to take it back on a reset). */
let fusedAdded = new Float64Array(MAX_BUCKETS);

/**
 * The common case of {@link addCumulativeDeltaFrom}: one loop over `current`'s positive range reads each bucket's
 * previous count, writes the current count over it (`previous`'s range is first widened to `current`'s, which holds it)
 * and adds the difference into `t` (whose counts cannot overflow: {@link HistogramAccumulator.fitsWithoutWidening}) —
 * taken back if a bucket went down (a reset). The caller then sets `previous`'s scalars (and, after a reset, all of it).
 */
function addFusedFrom(current: HistogramView, previous: HistogramAccumulator, t: HistogramAccumulator): boolean {
  const cp = current.positive;
  const cs = cp.start;
  const ce = cp.end;
  const cc = cp.counts;
  const co = cp.offset;
  const pp = previous.positive;
  pp.ensure(cs, ce); // buckets new to the range read as zeros
  // a count past 2^32 − 1 (none above the point's total) needs 64-bit counts
  const pc = current.count > MAX_U32 ? pp.widen() : pp.counts;
  const po = pp.offset;
  const shift = current.scale - t.scale;
  const tp = t.positive;
  const savedStart = tp.start;
  const savedEnd = tp.end;
  tp.ensure(cs >> shift, ce >> shift);
  const tc = tp.counts;
  const to = tp.offset;
  if (fusedAdded.length < ce - cs + 1) fusedAdded = new Float64Array(ce - cs + 1);
  const added = fusedAdded;
  let first = 0;
  let lastNonZero = -1;
  let failed = cs - 1;
  for (let i = cs; i <= ce; i++) {
    const c = cc[i - co] as number;
    const d = c - (pc[i - po] as number);
    pc[i - po] = c;
    added[i - cs] = d;
    if (d < 0) {
      failed = i;
      break;
    }
    if (d > 0) {
      if (lastNonZero < 0) first = i;
      lastNonZero = i;
      const j = (i >> shift) - to;
      tc[j] = (tc[j] as number) + d;
    }
  }
  if (failed >= cs) {
    // a bucket went down: a reset. Take back what was added
    for (let i = cs; i < failed; i++) {
      const d = added[i - cs] as number;
      if (d > 0) {
        const j = (i >> shift) - to;
        tc[j] = (tc[j] as number) - d;
      }
    }
    tp.start = savedStart;
    tp.end = savedEnd;
    return false;
  }
  tp.trim();
  const delta = fusedDelta;
  delta.scale = current.scale;
  delta.zeroThreshold = current.zeroThreshold;
  delta.positive.start = lastNonZero < 0 ? 0 : first;
  delta.positive.end = lastNonZero;
  finishDelta(delta, current, previous);
  t.addScalars(delta);
  return true;
}
