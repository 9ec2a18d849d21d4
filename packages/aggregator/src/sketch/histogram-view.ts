/** One bucket range of an exponential histogram: `counts[i − offset]` is bucket `i`; `start..end` spans its non-zero buckets. */
export interface BucketsView {
  readonly offset: number;
  readonly counts: ArrayLike<number>;
  /** Lowest non-zero bucket index (meaningless when `end < start`). */
  readonly start: number;
  /** Highest non-zero bucket index; `end < start` when the range is empty. */
  readonly end: number;
}

/**
 * Read access to an exponential histogram in the OTel data model (scale, zero bucket, positive/negative ranges),
 * whether it is an accumulator, a decoded slice or an OTLP data point. `min`/`max` are ±Infinity when empty.
 */
export interface HistogramView {
  readonly scale: number;
  readonly zeroCount: number;
  readonly zeroThreshold: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly positive: BucketsView;
  readonly negative: BucketsView;
}

/** A view of `counts` at `offset`, with `start`/`end` narrowed to the non-zero buckets. Cost: O(leading + trailing zeros). */
export function bucketsView(offset: number, counts: ArrayLike<number>, length = counts.length): BucketsView {
  let first = 0;
  let last = length - 1;
  while (first <= last && counts[first] === 0) first++;
  while (last >= first && counts[last] === 0) last--;
  return first <= last ? { offset, counts, start: offset + first, end: offset + last } : { offset, counts, start: 0, end: -1 };
}

export function hasBuckets(h: HistogramView): boolean {
  return h.positive.end >= h.positive.start || h.negative.end >= h.negative.start;
}
