/**
 * A fixed-capacity window of consecutive bucket counts, stored in a ring over a `Float64Array` so that growing
 * the window at either end never moves or allocates memory. Internal to the exponential histogram.
 *
 * Invariants: when non-empty, `start ≤ anchor ≤ end` and `end − start < capacity`; the count of index `i` lives
 * at slot `i − anchor` (plus `capacity` when negative); every slot outside `[start, end]` holds 0.
 *
 * @module
 */

let scratch = new Float64Array(0);

export class BucketWindow {
  readonly counts: Float64Array;
  readonly capacity: number;
  /** The index stored in slot 0 of the ring. */
  private anchor = 0;
  /** Lowest index of the window (meaningful only when `!isEmpty`). */
  start = 0;
  /** Highest index of the window; `end < start` means empty. */
  end = -1;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.counts = new Float64Array(capacity);
  }

  get isEmpty(): boolean {
    return this.end < this.start;
  }

  /**
   * Adds `n` to bucket `index` if the window can hold it (growing the window when needed).
   * Returns false, changing nothing, when it would exceed the capacity. Cost: O(1), allocation-free.
   */
  tryAdd(index: number, n: number): boolean {
    if (this.end < this.start) {
      this.anchor = this.start = this.end = index;
      this.counts[0] = n;
      return true;
    }
    if (index < this.start) {
      if (this.end - index >= this.capacity) return false;
      this.start = index;
    } else if (index > this.end) {
      if (index - this.start >= this.capacity) return false;
      this.end = index;
    }
    let slot = index - this.anchor;
    if (slot < 0) slot += this.capacity;
    this.counts[slot] = (this.counts[slot] as number) + n;
    return true;
  }

  /** The count of bucket `index` (0 outside the window). Cost: O(1). */
  get(index: number): number {
    if (index < this.start || index > this.end) return 0;
    let slot = index - this.anchor;
    if (slot < 0) slot += this.capacity;
    return this.counts[slot] as number;
  }

  /** Overwrites the count of a bucket inside the window. Cost: O(1). */
  set(index: number, count: number): void {
    let slot = index - this.anchor;
    if (slot < 0) slot += this.capacity;
    this.counts[slot] = count;
  }

  /** The smallest `k ≥ 0` such that this window plus `index` fits in the capacity at `scale − k`. Cost: O(log). */
  changeToFit(low: number, high: number): number {
    let lo = low;
    let hi = high;
    if (!this.isEmpty) {
      lo = Math.min(lo, this.start);
      hi = Math.max(hi, this.end);
    }
    let change = 0;
    while ((hi >> change) - (lo >> change) >= this.capacity) change++;
    return change;
  }

  /**
   * Merges each run of `2^change` adjacent buckets into one (index `i` → `i >> change`), as when the scale drops by
   * `change`. Cost: O(capacity); allocation-free once the shared scratch buffer has grown.
   */
  downscale(change: number): void {
    if (change <= 0 || this.isEmpty) return;
    const length = this.end - this.start + 1;
    if (scratch.length < length) scratch = new Float64Array(Math.max(length, 2 * scratch.length));
    for (let k = 0; k < length; k++) scratch[k] = this.get(this.start + k);
    this.counts.fill(0);
    const oldStart = this.start;
    const newStart = oldStart >> change;
    this.anchor = this.start = newStart;
    this.end = this.end >> change;
    for (let k = 0; k < length; k++) {
      const slot = ((oldStart + k) >> change) - newStart;
      this.counts[slot] = (this.counts[slot] as number) + (scratch[k] as number);
    }
  }

  /** Shrinks the window to its non-zero buckets (empty when all are zero). Cost: O(window). */
  trim(): void {
    while (this.start <= this.end && this.get(this.start) === 0) this.start++;
    while (this.end >= this.start && this.get(this.end) === 0) this.end--;
    if (this.end < this.start) this.clear();
    else if (this.anchor < this.start || this.anchor > this.end) this.reanchor();
  }

  /** Rewrites the ring so that slot 0 holds `start` (restores `start ≤ anchor ≤ end`). Cost: O(capacity). */
  private reanchor(): void {
    const length = this.end - this.start + 1;
    if (scratch.length < length) scratch = new Float64Array(Math.max(length, 2 * scratch.length));
    for (let k = 0; k < length; k++) scratch[k] = this.get(this.start + k);
    this.counts.fill(0);
    this.counts.set(scratch.subarray(0, length));
    this.anchor = this.start;
  }

  /**
   * Writes the counts of `[first, last]` (inside the window) into `out` (its length set to fit), read slot by slot:
   * the ring is split in at most two runs, so no index is wrapped per bucket. Cost: O(last − first).
   */
  copyInto(first: number, last: number, out: number[]): void {
    const length = last - first + 1;
    if (out.length !== length) out.length = length; // a runtime call even when unchanged
    const counts = this.counts;
    let slot = first - this.anchor;
    if (slot < 0) slot += this.capacity;
    const capacity = this.capacity;
    for (let k = 0; k < length; k++) {
      out[k] = counts[slot] as number;
      if (++slot === capacity) slot = 0;
    }
  }

  clear(): void {
    this.counts.fill(0);
    this.anchor = this.start = 0;
    this.end = -1;
  }

  /** Makes this window an exact copy of `other` (same capacity required). Cost: O(capacity). */
  copyFrom(other: BucketWindow): void {
    if (other.capacity !== this.capacity) throw new Error('BucketWindow.copyFrom requires equal capacities');
    this.counts.set(other.counts);
    this.anchor = other.anchor;
    this.start = other.start;
    this.end = other.end;
  }
}
