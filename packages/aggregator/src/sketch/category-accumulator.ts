import { CategoryCounts } from '@driftwatch/stats';
import type { ByteReader, ByteWriter } from './byte-codec.js';
import type { CategoryDictionary } from './category-dictionary.js';
import type { SliceAccumulator } from './slice-accumulator.js';

const EMPTY = new Float64Array(0);

/**
 * Counts per slot of a {@link CategoryDictionary}: a dense Float64Array as long as the dictionary.
 * Encoded sparsely as (slot gap, count) varint pairs.
 */
export class CategoryAccumulator implements SliceAccumulator {
  counts: Float64Array = EMPTY;
  total = 0;

  constructor(readonly dictionary: CategoryDictionary) {}

  get isEmpty(): boolean {
    return this.total === 0;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  addSlot(slot: number, count: number): void {
    if (slot >= this.counts.length) {
      const next = new Float64Array(Math.max(slot + 1, this.dictionary.size));
      next.set(this.counts);
      this.counts = next;
    }
    this.counts[slot] = (this.counts[slot] as number) + count;
    this.total += count;
  }

  /** Adds a count under a wire key. */
  add(wireKey: string, count: number): void {
    this.addSlot(this.dictionary.slotOf(wireKey), count);
  }

  merge(other: CategoryAccumulator): void {
    const c = other.counts;
    for (let s = 0; s < c.length; s++) if (c[s] !== 0) this.addSlot(s, c[s] as number);
  }

  /** Count of a wire key (0 when absent). */
  get(wireKey: string): number {
    for (let s = 0; s < this.counts.length; s++) if (this.counts[s] !== 0 && this.dictionary.keyOf(s) === wireKey) return this.counts[s] as number;
    return 0;
  }

  /** Non-zero keys with their counts, in slot order. */
  entries(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (let s = 0; s < this.counts.length; s++) if (this.counts[s] !== 0) out.push([this.dictionary.keyOf(s), this.counts[s] as number]);
    return out;
  }

  /** The stats sketch for drift tests (keys added in slot order, so the K exact categories stay exact). */
  toCategoryCounts(): CategoryCounts {
    const cc = new CategoryCounts({ maxExact: this.dictionary.maxExact, tailBuckets: this.dictionary.tailBuckets });
    for (let s = 0; s < this.counts.length; s++) if (this.counts[s] !== 0) cc.addKey(this.dictionary.keyOf(s), this.counts[s] as number);
    return cc;
  }

  encode(w: ByteWriter): void {
    let n = 0;
    for (let s = 0; s < this.counts.length; s++) if (this.counts[s] !== 0) n++;
    w.uvarint(n);
    let prev = -1;
    for (let s = 0; s < this.counts.length; s++) {
      const c = this.counts[s] as number;
      if (c === 0) continue;
      w.uvarint(s - prev - 1);
      w.uvarint(c);
      prev = s;
    }
  }

  /** Adds one encoded payload. Throws RangeError on corrupt input. */
  mergeEncoded(r: ByteReader): void {
    const n = r.uvarint();
    let slot = -1;
    for (let k = 0; k < n; k++) {
      slot += r.uvarint() + 1;
      if (slot >= this.dictionary.size) throw new RangeError(`corrupt category slice: slot ${slot} beyond ${this.dictionary.size} keys`);
      this.addSlot(slot, r.uvarint());
    }
  }
}
