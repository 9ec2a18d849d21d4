import type { ExponentialHistogramBuckets, ExponentialHistogramData } from './exponential-histogram-data.js';

function shiftBuckets(buckets: ExponentialHistogramBuckets, shift: number): ExponentialHistogramBuckets {
  const n = buckets.bucketCounts.length;
  if (n === 0) return buckets;
  const offset = buckets.offset >> shift;
  const counts = new Array<number>(((buckets.offset + n - 1) >> shift) - offset + 1).fill(0);
  for (let j = 0; j < n; j++) {
    const slot = ((buckets.offset + j) >> shift) - offset;
    counts[slot] = (counts[slot] as number) + (buckets.bucketCounts[j] as number);
  }
  return { offset, bucketCounts: counts };
}

/**
 * Plain histogram data brought down to `scale` (bucket `i` → `i >> (data.scale − scale)`, exact by the perfect
 * subsetting of the OTel exponential mapping); `data` itself when `scale ≥ data.scale`. Counts, sum, min, max and the
 * zero bucket are unchanged. The data equivalent of `ExponentialHistogram.atScale`, without building a histogram.
 * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram . Cost: O(buckets).
 */
export function downscaleData(data: ExponentialHistogramData, scale: number): ExponentialHistogramData {
  if (scale >= data.scale) return data;
  const shift = data.scale - scale;
  return { ...data, scale, positive: shiftBuckets(data.positive, shift), negative: shiftBuckets(data.negative, shift) };
}
