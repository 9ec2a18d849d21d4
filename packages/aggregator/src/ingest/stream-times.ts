/**
 * The (start, time) timestamps of many streams' last points, in nanoseconds, in one growable `BigUint64Array`: two slots
 * per stream, the stream knowing its index.
 *
 * Why not two `bigint` fields per stream: the decoders' bigints are fresh young-generation objects, and a stream that
 * kept the one of each point it saw made it survive the next scavenge — with thousands of streams, every scavenge
 * copied thousands of scattered bigints (about a tenth of the ingest's time in bench/aggregator). Here the values are
 * copied in and read back as short-lived bigints that die young. Memory: 16 bytes a stream (up to twice that while the
 * array has room to grow into), less than the two fields and their objects.
 *
 * Values are uint64, as OTLP timestamps are (fixed64): what the decoders produce, and what is stored as is.
 */
export class StreamTimes {
  private times = new BigUint64Array(2 * 16);
  /** Indices freed by {@link release}, reused first. */
  private readonly free: number[] = [];
  /** Indices ever handed out (the next new one). */
  private used = 0;

  /** A new index holding `startNs` and `timeNs`. */
  add(startNs: bigint, timeNs: bigint): number {
    let index = this.free.pop();
    if (index === undefined) {
      index = this.used++;
      if (2 * index >= this.times.length) {
        const grown = new BigUint64Array(2 * this.times.length);
        grown.set(this.times);
        this.times = grown;
      }
    }
    this.set(index, startNs, timeNs);
    return index;
  }

  /** Gives `index` back (its stream is forgotten). */
  release(index: number): void {
    this.free.push(index);
  }

  start(index: number): bigint {
    return this.times[2 * index] as bigint;
  }

  time(index: number): bigint {
    return this.times[2 * index + 1] as bigint;
  }

  set(index: number, startNs: bigint, timeNs: bigint): void {
    this.times[2 * index] = startNs;
    this.times[2 * index + 1] = timeNs;
  }

  setTime(index: number, timeNs: bigint): void {
    this.times[2 * index + 1] = timeNs;
  }
}
