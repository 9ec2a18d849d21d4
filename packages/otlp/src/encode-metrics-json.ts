import { jsonDoubleValue, keyValuesJson, resourceJson, scopeJson } from './encode-common-json.js';
import type { JsonObject } from './encode-common-json.js';
import type {
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  SummaryDataPoint,
} from './types.js';

/**
 * Encodes an `ExportMetricsServiceRequest` as OTLP/JSON (for tests and benches): 64-bit integers as decimal
 * strings, enums as integers, proto3 defaults omitted. `NumberDataPoint.value` is `asInt` when it is a safe
 * integer, otherwise `asDouble`.
 */
export function encodeMetricsJson(req: ExportMetricsServiceRequest): string {
  return JSON.stringify({
    resourceMetrics: req.resourceMetrics.map((rm) => ({
      resource: resourceJson(rm.resource),
      scopeMetrics: rm.scopeMetrics.map((sm) => ({ scope: scopeJson(sm.scope), metrics: sm.metrics.map(metricJson) })),
    })),
  });
}

function metricJson(m: Metric): JsonObject {
  const o: JsonObject = { name: m.name };
  if (m.description !== '') o.description = m.description;
  if (m.unit !== '') o.unit = m.unit;
  const d = m.data;
  switch (d.type) {
    case 'gauge':
      o.gauge = { dataPoints: d.points.map(numberPointJson) };
      break;
    case 'sum':
      o.sum = { dataPoints: d.points.map(numberPointJson), aggregationTemporality: d.temporality, isMonotonic: d.isMonotonic };
      break;
    case 'histogram':
      o.histogram = { dataPoints: d.points.map(histogramPointJson), aggregationTemporality: d.temporality };
      break;
    case 'exponentialHistogram':
      o.exponentialHistogram = { dataPoints: d.points.map(exponentialPointJson), aggregationTemporality: d.temporality };
      break;
    case 'summary':
      o.summary = { dataPoints: d.points.map(summaryPointJson) };
      break;
    case 'empty':
      break;
  }
  return o;
}

function common(p: { attributes: NumberDataPoint['attributes']; startTimeUnixNano: bigint; timeUnixNano: bigint; flags: number }): JsonObject {
  const o: JsonObject = {
    attributes: keyValuesJson(p.attributes),
    startTimeUnixNano: p.startTimeUnixNano.toString(),
    timeUnixNano: p.timeUnixNano.toString(),
  };
  if (p.flags !== 0) o.flags = p.flags;
  return o;
}

function setOptional(o: JsonObject, key: string, v: number | undefined): void {
  if (v !== undefined) o[key] = jsonDoubleValue(v);
}

function numberPointJson(p: NumberDataPoint): JsonObject {
  const o = common(p);
  if (Number.isSafeInteger(p.value) && !Object.is(p.value, -0)) o.asInt = String(p.value);
  else o.asDouble = jsonDoubleValue(p.value);
  return o;
}

function histogramPointJson(p: HistogramDataPoint): JsonObject {
  const o = common(p);
  o.count = String(p.count);
  setOptional(o, 'sum', p.sum);
  o.bucketCounts = p.bucketCounts.map(String);
  o.explicitBounds = p.explicitBounds.map(jsonDoubleValue);
  setOptional(o, 'min', p.min);
  setOptional(o, 'max', p.max);
  return o;
}

function bucketsJson(b: ExponentialHistogramBuckets): JsonObject {
  return { offset: b.offset, bucketCounts: b.bucketCounts.map(String) };
}

function exponentialPointJson(p: ExponentialHistogramDataPoint): JsonObject {
  const o = common(p);
  o.count = String(p.count);
  setOptional(o, 'sum', p.sum);
  o.scale = p.scale;
  o.zeroCount = String(p.zeroCount);
  o.positive = bucketsJson(p.positive);
  o.negative = bucketsJson(p.negative);
  setOptional(o, 'min', p.min);
  setOptional(o, 'max', p.max);
  if (p.zeroThreshold !== 0) o.zeroThreshold = jsonDoubleValue(p.zeroThreshold);
  return o;
}

function summaryPointJson(p: SummaryDataPoint): JsonObject {
  const o = common(p);
  o.count = String(p.count);
  o.sum = jsonDoubleValue(p.sum);
  return o;
}
