/**
 * Upper bounds (seconds) of the call-duration buckets, exported as an OTLP explicit-bucket Histogram.
 * Roughly ×2–2.5 steps from 100 µs to 60 s; bucket i counts durations in (bounds[i-1], bounds[i]],
 * the last bucket everything above 60 s (OTel's explicit-bucket convention).
 */
export const LATENCY_BUCKET_BOUNDS_SECONDS: readonly number[] = Object.freeze([
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
]);

/** A fixed explicit-bucket histogram of durations in seconds: O(buckets) worst case per record, no allocation. */
export class LatencyHistogram {
  readonly bounds: readonly number[] = LATENCY_BUCKET_BOUNDS_SECONDS;
  readonly counts = new Float64Array(LATENCY_BUCKET_BOUNDS_SECONDS.length + 1);
  count = 0;
  sumSeconds = 0;
  minSeconds = Infinity;
  maxSeconds = -Infinity;

  record(durationSeconds: number): void {
    if (!(durationSeconds >= 0) || durationSeconds === Infinity) return;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && durationSeconds > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.count++;
    this.sumSeconds += durationSeconds;
    if (durationSeconds < this.minSeconds) this.minSeconds = durationSeconds;
    if (durationSeconds > this.maxSeconds) this.maxSeconds = durationSeconds;
  }
}
