import type { ByteReader, ByteWriter } from './byte-codec.js';
import type { SliceAccumulator } from './slice-accumulator.js';

/** A count and a sum (missing values, labels, KPI totals, absolute errors): 16 bytes encoded. */
export class MomentsAccumulator implements SliceAccumulator {
  count = 0;
  sum = 0;

  get isEmpty(): boolean {
    return this.count === 0 && this.sum === 0;
  }

  clear(): void {
    this.count = 0;
    this.sum = 0;
  }

  add(count: number, sum: number): void {
    this.count += count;
    this.sum += sum;
  }

  merge(other: MomentsAccumulator): void {
    this.count += other.count;
    this.sum += other.sum;
  }

  encode(w: ByteWriter): void {
    w.f64(this.count);
    w.f64(this.sum);
  }

  mergeEncoded(r: ByteReader): void {
    this.count += r.f64();
    this.sum += r.f64();
  }
}
