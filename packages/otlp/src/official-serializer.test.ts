// Decoding of payloads produced by the official OpenTelemetry JS serializers (@opentelemetry/otlp-transformer,
// the code inside the OTLP exporters), compared value by value with the SDK data they were produced from.
import type { HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, JsonMetricsSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricData as SdkMetricData, ResourceMetrics as SdkResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createAttributes } from './attributes.js';
import { decodeLogsJson } from './decode-logs-json.js';
import { decodeLogsProtobuf } from './decode-logs-protobuf.js';
import { decodeMetricsJson } from './decode-metrics-json.js';
import { decodeMetricsProtobuf } from './decode-metrics-protobuf.js';
import type { AttributeValue, ExportMetricsServiceRequest, LogRecord, Metric, MetricData } from './types.js';

class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

async function collectSdkMetrics(): Promise<SdkResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'churn-api', 'service.instance.id': 'pod-1', 'host.cpu.count': 8, 'canary': true, 'ratio': 0.5 }),
    readers: [reader],
    views: [{ instrumentName: 'ml.model.feature.value', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } } }],
  });
  const meter = provider.getMeter('@driftwatch/instrument', '0.1.0');
  const model = { 'ml.model.name': 'churn', 'ml.model.version': '3' };
  meter.createCounter('ml.model.calls', { unit: '{call}', description: 'calls', valueType: 1 /* INT */ }).add(41, model);
  meter.createCounter('ml.model.predictions', { unit: '{prediction}' }).add(2.5, model);
  meter.createUpDownCounter('queue.depth').add(-3, model);
  meter.createGauge('temperature', { unit: 'Cel' }).record(21.25, { room: 'a' });
  const duration = meter.createHistogram('ml.model.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.01, 0.1, 1] } });
  for (const v of [0.005, 0.05, 0.05, 0.5, 5]) duration.record(v, model);
  const feature = meter.createHistogram('ml.model.feature.value', { unit: '1' });
  // (the SDK's Histogram instrument drops negative values, so only zero and positive buckets are exercised here)
  for (let i = 0; i < 500; i++) feature.record(i % 7 === 0 ? 0 : i * 1.37, { ...model, 'ml.feature.name': 'age' });
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

function attrs(a: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  return createAttributes(a as Record<string, AttributeValue>) as Record<string, AttributeValue>;
}

/** What decoding the serialized form of SDK metrics must give. */
function expectedFromSdk(rm: SdkResourceMetrics): ExportMetricsServiceRequest {
  const data = (m: SdkMetricData): MetricData => {
    const common = (p: { attributes: Readonly<Record<string, unknown>>; startTime: HrTime; endTime: HrTime }) => ({
      attributes: attrs(p.attributes),
      startTimeUnixNano: nanos(p.startTime),
      timeUnixNano: nanos(p.endTime),
      flags: 0,
    });
    const temporality = m.aggregationTemporality === 0 ? 1 : 2; // SDK enum: DELTA = 0, CUMULATIVE = 1
    switch (m.dataPointType) {
      case DataPointType.SUM:
        return { type: 'sum', temporality, isMonotonic: m.isMonotonic, points: m.dataPoints.map((p) => ({ ...common(p), value: p.value })) };
      case DataPointType.GAUGE:
        return { type: 'gauge', points: m.dataPoints.map((p) => ({ ...common(p), value: p.value })) };
      case DataPointType.HISTOGRAM:
        return {
          type: 'histogram',
          temporality,
          points: m.dataPoints.map((p) => ({
            ...common(p),
            count: p.value.count,
            sum: p.value.sum,
            bucketCounts: p.value.buckets.counts,
            explicitBounds: p.value.buckets.boundaries,
            min: p.value.min,
            max: p.value.max,
          })),
        };
      case DataPointType.EXPONENTIAL_HISTOGRAM:
        return {
          type: 'exponentialHistogram',
          temporality,
          points: m.dataPoints.map((p) => ({
            ...common(p),
            count: p.value.count,
            sum: p.value.sum,
            scale: p.value.scale,
            zeroCount: p.value.zeroCount,
            zeroThreshold: 0,
            positive: { offset: p.value.positive.offset, bucketCounts: p.value.positive.bucketCounts },
            negative: { offset: p.value.negative.offset, bucketCounts: p.value.negative.bucketCounts },
            min: p.value.min,
            max: p.value.max,
          })),
        };
    }
  };
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs(rm.resource.attributes) },
        scopeMetrics: rm.scopeMetrics.map((sm) => ({
          scope: { name: sm.scope.name, version: sm.scope.version ?? '', attributes: attrs({}) },
          metrics: sm.metrics.map((m): Metric => ({ name: m.descriptor.name, description: m.descriptor.description, unit: m.descriptor.unit, data: data(m) })),
        })),
      },
    ],
  };
}

describe('payloads of the official OTLP serializers', () => {
  it('decodes ProtobufMetricsSerializer output value by value', async () => {
    const rm = await collectSdkMetrics();
    const bytes = ProtobufMetricsSerializer.serializeRequest(rm);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = decodeMetricsProtobuf(bytes!);
    expect(decoded).toEqual(expectedFromSdk(rm));
    // the test data exercises every metric kind the SDK produces, with non-trivial buckets
    const kinds = decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => m.data.type);
    expect(kinds.sort()).toEqual(['exponentialHistogram', 'gauge', 'histogram', 'sum', 'sum', 'sum']);
    const expo = decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics.find((m) => m.data.type === 'exponentialHistogram')!.data;
    if (expo.type !== 'exponentialHistogram') throw new Error('unreachable');
    expect(expo.points[0]!.count).toBe(500);
    expect(expo.points[0]!.positive.bucketCounts.length).toBeGreaterThan(10);
    expect(expo.points[0]!.zeroCount).toBe(72);
  });

  it('decodes JsonMetricsSerializer output to the same request as the protobuf one', async () => {
    const rm = await collectSdkMetrics();
    const json = new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(rm));
    expect(decodeMetricsJson(json)).toEqual(expectedFromSdk(rm));
    expect(decodeMetricsJson(json)).toEqual(decodeMetricsProtobuf(ProtobufMetricsSerializer.serializeRequest(rm)!));
  });

  it('decodes ProtobufLogsSerializer and JsonLogsSerializer output value by value', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'churn-api' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('@driftwatch/instrument', '0.1.0');
    logger.emit({
      eventName: 'ml.model.record',
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      timestamp: [1_700_000_000, 123_456_789],
      body: { features: { age: 42, plan: 'pro' }, output: 0.93, label: 'yes' },
      attributes: { 'ml.model.name': 'churn', 'ml.prediction.id': 'p-1', 'list': [1, 2] },
    });
    logger.emit({ body: 'plain text', severityNumber: SeverityNumber.WARN });
    await new Promise((resolve) => setImmediate(resolve)); // SimpleLogRecordProcessor exports asynchronously
    const records: ReadableLogRecord[] = exporter.getFinishedLogRecords();
    expect(records).toHaveLength(2);

    const fromProtobuf = decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!);
    const fromJson = decodeLogsJson(new TextDecoder().decode(JsonLogsSerializer.serializeRequest(records)));
    expect(fromJson).toEqual(fromProtobuf);

    const scopeLogs = fromProtobuf.resourceLogs[0]!.scopeLogs[0]!;
    expect(fromProtobuf.resourceLogs[0]!.resource.attributes['service.name']).toBe('churn-api');
    expect(scopeLogs.scope).toEqual({ name: '@driftwatch/instrument', version: '0.1.0', attributes: attrs({}) });
    const [first, second] = scopeLogs.logRecords as [LogRecord, LogRecord];
    expect(first.eventName).toBe('ml.model.record');
    expect(first.severityNumber).toBe(9);
    expect(first.severityText).toBe('INFO');
    expect(first.timeUnixNano).toBe(1_700_000_000_123_456_789n);
    expect(first.observedTimeUnixNano).toBe(nanos(records[0]!.hrTimeObserved));
    expect(first.body).toEqual(attrs({ features: attrs({ age: 42, plan: 'pro' }), output: 0.93, label: 'yes' }));
    expect(first.attributes).toEqual(attrs({ 'ml.model.name': 'churn', 'ml.prediction.id': 'p-1', list: [1, 2] }));
    expect(second.body).toBe('plain text');
    expect(second.severityNumber).toBe(13);
    await provider.shutdown();
  });
});
