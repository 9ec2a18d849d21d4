// The official OpenTelemetry JS OTLP exporters against the receiver on 127.0.0.1: they must accept its responses
// (SUCCESS, no "could not deserialize" warning) and the receiver must decode exactly what they sent.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, DiagLogLevel, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as HttpLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as HttpMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportLogsServiceRequest, ExportMetricsServiceRequest, LogsPartialSuccess, MetricsPartialSuccess } from '@driftwatch/otlp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOtlpReceiver } from './otlp-receiver.js';

class ManualReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

const received: { metrics: ExportMetricsServiceRequest[]; logs: ExportLogsServiceRequest[]; contentTypes: string[] } = { metrics: [], logs: [], contentTypes: [] };
let metricsResult: MetricsPartialSuccess = { rejectedDataPoints: 0, errorMessage: '' };
let logsResult: LogsPartialSuccess = { rejectedLogRecords: 0, errorMessage: '' };
const warnings: string[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  const receiver = createOtlpReceiver({
    onMetrics: (req) => {
      received.metrics.push(req);
      return metricsResult;
    },
    onLogs: (req) => {
      received.logs.push(req);
      return logsResult;
    },
  });
  server = createServer((req, res) => {
    received.contentTypes.push(`${req.headers['content-type'] ?? ''}${req.headers['content-encoding'] === 'gzip' ? '+gzip' : ''}`);
    receiver(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const record = (...args: unknown[]): void => {
    warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
});

afterAll(async () => {
  diag.disable();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.metrics.length = 0;
  received.logs.length = 0;
  received.contentTypes.length = 0;
  warnings.length = 0;
  metricsResult = { rejectedDataPoints: 0, errorMessage: '' };
  logsResult = { rejectedLogRecords: 0, errorMessage: '' };
});

async function collect(): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'churn-api', 'service.instance.id': 'pod-1' }),
    readers: [reader],
    views: [{ instrumentName: 'ml.model.feature.value', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } } }],
  });
  const meter = provider.getMeter('@driftwatch/instrument', '0.1.0');
  const model = { 'ml.model.name': 'churn', 'ml.model.version': '3' };
  meter.createCounter('ml.model.predictions', { unit: '{prediction}', valueType: ValueType.INT }).add(7, model);
  const feature = meter.createHistogram('ml.model.feature.value', { unit: '1' });
  for (const v of [0, 1, 2, 2, 4, 1000]) feature.record(v, { ...model, 'ml.feature.name': 'age' });
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  return resourceMetrics;
}

function exportWith<T>(exporter: { export(items: T, cb: (r: ExportResult) => void): void; shutdown(): Promise<void> }, items: T): Promise<ExportResult> {
  return new Promise<ExportResult>((resolve) => exporter.export(items, resolve)).finally(() => exporter.shutdown());
}

function checkMetrics(req: ExportMetricsServiceRequest): void {
  expect(req.resourceMetrics).toHaveLength(1);
  const rm = req.resourceMetrics[0]!;
  expect(rm.resource.attributes['service.name']).toBe('churn-api');
  expect(rm.resource.attributes['service.instance.id']).toBe('pod-1');
  const sm = rm.scopeMetrics[0]!;
  expect(sm.scope.name).toBe('@driftwatch/instrument');
  expect(sm.scope.version).toBe('0.1.0');
  const byName = new Map(sm.metrics.map((m) => [m.name, m]));
  const predictions = byName.get('ml.model.predictions')!;
  expect(predictions.unit).toBe('{prediction}');
  expect(predictions.data).toMatchObject({ type: 'sum', temporality: 2, isMonotonic: true });
  if (predictions.data.type !== 'sum') throw new Error('not a sum');
  expect(predictions.data.points).toHaveLength(1);
  expect(predictions.data.points[0]!.value).toBe(7);
  expect({ ...predictions.data.points[0]!.attributes }).toEqual({ 'ml.model.name': 'churn', 'ml.model.version': '3' });
  expect(predictions.data.points[0]!.timeUnixNano).toBeGreaterThanOrEqual(predictions.data.points[0]!.startTimeUnixNano);

  const feature = byName.get('ml.model.feature.value')!.data;
  if (feature.type !== 'exponentialHistogram') throw new Error(`got ${feature.type}`);
  expect(feature.temporality).toBe(2);
  const p = feature.points[0]!;
  expect({ ...p.attributes }).toEqual({ 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.feature.name': 'age' });
  expect(p.count).toBe(6);
  expect(p.sum).toBe(1009);
  expect(p.min).toBe(0);
  expect(p.max).toBe(1000);
  expect(p.zeroCount).toBe(1);
  expect(p.positive.bucketCounts.reduce((a, b) => a + b, 0)).toBe(5);
  expect(p.negative.bucketCounts).toEqual([]);
  // the bucket of each value follows from scale and offset: index = ceil(log2(v) * 2^scale) - 1
  const indexOf = (v: number): number => Math.ceil(Math.log2(v) * 2 ** p.scale) - 1;
  for (const v of [1, 2, 4, 1000]) expect(p.positive.bucketCounts[indexOf(v) - p.positive.offset]).toBeGreaterThan(0);
  expect(p.positive.bucketCounts[indexOf(2) - p.positive.offset]).toBe(2);
}

describe('official OTLP exporters against the receiver', () => {
  it('@opentelemetry/exporter-metrics-otlp-proto: SUCCESS, decoded value by value', async () => {
    const result = await exportWith(new ProtoMetricExporter({ url: `${base}/v1/metrics` }), await collect());
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(received.contentTypes).toEqual(['application/x-protobuf']);
    expect(received.metrics).toHaveLength(1);
    checkMetrics(received.metrics[0]!);
    expect(warnings).toEqual([]);
  });

  it('@opentelemetry/exporter-metrics-otlp-http (JSON), gzip: SUCCESS, decoded value by value', async () => {
    const result = await exportWith(new HttpMetricExporter({ url: `${base}/v1/metrics`, compression: CompressionAlgorithm.GZIP }), await collect());
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(received.contentTypes).toEqual(['application/json+gzip']);
    checkMetrics(received.metrics[0]!);
    expect(warnings).toEqual([]);
  });

  it('both metric exporters read the partial success response', async () => {
    metricsResult = { rejectedDataPoints: 1, errorMessage: 'ml.model.predictions: 1 point rejected' };
    for (const exporter of [new ProtoMetricExporter({ url: `${base}/v1/metrics` }), new HttpMetricExporter({ url: `${base}/v1/metrics` })]) {
      warnings.length = 0;
      expect(await exportWith(exporter, await collect())).toEqual({ code: ExportResultCode.SUCCESS });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^Received Partial Success response: /);
      expect(warnings[0]).toContain('"errorMessage":"ml.model.predictions: 1 point rejected"');
      expect(warnings[0]).toMatch(/"rejectedDataPoints":"?1"?/);
    }
  });

  it('@opentelemetry/exporter-logs-otlp-proto and -http: SUCCESS, decoded value by value, partial success read', async () => {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'churn-api' }), processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    provider.getLogger('@driftwatch/instrument', '0.1.0').emit({
      eventName: 'ml.model.record',
      severityNumber: SeverityNumber.INFO,
      body: { features: { age: 42 }, output: 0.93 },
      attributes: { 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.prediction.id': 'p-1' },
    });
    await new Promise((resolve) => setImmediate(resolve));
    const records: ReadableLogRecord[] = memory.getFinishedLogRecords();
    expect(records).toHaveLength(1);
    await provider.shutdown();

    for (const make of [() => new ProtoLogExporter({ url: `${base}/v1/logs` }), () => new HttpLogExporter({ url: `${base}/v1/logs` })]) {
      received.logs.length = 0;
      expect(await exportWith(make(), records)).toEqual({ code: ExportResultCode.SUCCESS });
      expect(received.logs).toHaveLength(1);
      const rl = received.logs[0]!.resourceLogs[0]!;
      expect(rl.resource.attributes['service.name']).toBe('churn-api');
      const r = rl.scopeLogs[0]!.logRecords[0]!;
      expect(r.eventName).toBe('ml.model.record');
      expect(r.severityNumber).toBe(9);
      expect(r.attributes['ml.prediction.id']).toBe('p-1');
      expect(r.body).toEqual(Object.assign(Object.create(null) as object, { features: Object.assign(Object.create(null) as object, { age: 42 }), output: 0.93 }));
    }
    expect(warnings).toEqual([]);

    logsResult = { rejectedLogRecords: 1, errorMessage: 'no reference yet' };
    expect(await exportWith(new ProtoLogExporter({ url: `${base}/v1/logs` }), records)).toEqual({ code: ExportResultCode.SUCCESS });
    expect(warnings.join('\n')).toContain('"errorMessage":"no reference yet"');
  });
});
