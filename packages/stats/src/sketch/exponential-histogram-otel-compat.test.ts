// Cross-check against the OpenTelemetry JS SDK's own exponential histogram aggregation (a test-only dependency,
// hoisted from @driftwatch/instrument): the same values must give the same scale, offsets and bucket counts.
import { AggregationType, DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from './exponential-histogram.js';

class TestReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

interface OtelPoint {
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: number[] };
  count: number;
  min?: number;
  max?: number;
}

async function otelHistogram(values: readonly number[], maxSize: number): Promise<OtelPoint> {
  const reader = new TestReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [{ instrumentName: 'h', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize } } }],
  });
  const histogram = provider.getMeter('compat').createHistogram('h');
  for (const v of values) histogram.record(v);
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const metric = resourceMetrics.scopeMetrics[0]?.metrics[0];
  if (!metric || metric.dataPointType !== DataPointType.EXPONENTIAL_HISTOGRAM) throw new Error('no exponential histogram collected');
  const point = metric.dataPoints[0];
  if (!point) throw new Error('no data point collected');
  return point.value as OtelPoint;
}

function trimmed(b: { offset: number; bucketCounts: number[] }): { offset: number; bucketCounts: number[] } {
  let first = 0;
  let last = b.bucketCounts.length - 1;
  while (first <= last && b.bucketCounts[first] === 0) first++;
  while (last >= first && b.bucketCounts[last] === 0) last--;
  return first <= last ? { offset: b.offset + first, bucketCounts: b.bucketCounts.slice(first, last + 1) } : { offset: 0, bucketCounts: [] };
}

// Positive values only (OTel histogram instruments drop negatives); no subnormals (the JS SDK rounds them up).
const normalPositive = fc.oneof(
  fc.double({ min: 2 ** -1022, max: 1e300, noNaN: true }),
  fc.double({ min: 0.001, max: 1000, noNaN: true }),
  fc.integer({ min: -40, max: 40 }).map((k) => 2 ** k),
  fc.constant(0),
);

describe('ExponentialHistogram compatibility with the OpenTelemetry JS SDK', () => {
  it('gives the same scale and buckets as the SDK aggregation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(normalPositive, { minLength: 1, maxLength: 300 }), fc.constantFrom(8, 160), async (values, maxSize) => {
        const theirs = await otelHistogram(values, maxSize);
        const ours = new ExponentialHistogram({ maxSize });
        ours.recordMany(values);
        const data = ours.toData();
        // the scale of a histogram without buckets is arbitrary (the SDK reports 0, we stay at maxScale)
        if (data.positive.bucketCounts.length > 0) expect(data.scale).toBe(theirs.scale);
        expect(data.zeroCount).toBe(theirs.zeroCount);
        expect(data.positive).toEqual(trimmed(theirs.positive));
        expect(data.count).toBe(theirs.count);
        expect(data.min).toBe(theirs.min);
        expect(data.max).toBe(theirs.max);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
