import { jsonAttributes, jsonList, jsonResource, jsonScope, parseJsonObject } from './decode-common-json.js';
import {
  jsonArray,
  jsonBool,
  jsonDouble,
  jsonEnum,
  jsonInt32,
  jsonInt64Number,
  jsonObject,
  jsonOptionalDouble,
  jsonString,
  jsonUint32,
  jsonUint64Big,
  jsonUint64Number,
} from './json-scalars.js';
import { OtlpDecodeError, rethrowAt } from './otlp-decode-error.js';
import type {
  AggregationTemporalityValue,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  MetricData,
  NumberDataPoint,
  ResourceMetrics,
  ScopeMetrics,
  SummaryDataPoint,
} from './types.js';

type JsonObject = Record<string, unknown>;

const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

const DATA_KEYS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest`: lowerCamelCase keys, 64-bit integers as decimal strings or
 * numbers, enums as integers (enum names are also accepted), unknown keys ignored, `null` as the default value.
 * @throws OtlpDecodeError with the path of the offending value on undecodable input.
 */
export function decodeMetricsJson(text: string): ExportMetricsServiceRequest {
  const root = parseJsonObject(text);
  return { resourceMetrics: jsonList(root.resourceMetrics, 'resourceMetrics', readResourceMetrics) };
}

function readResourceMetrics(o: JsonObject): ResourceMetrics {
  return { resource: jsonResource(o.resource), scopeMetrics: jsonList(o.scopeMetrics, 'scopeMetrics', readScopeMetrics) };
}

function readScopeMetrics(o: JsonObject): ScopeMetrics {
  return { scope: jsonScope(o.scope), metrics: jsonList(o.metrics, 'metrics', readMetric) };
}

function readMetric(o: JsonObject): Metric {
  let found: (typeof DATA_KEYS)[number] | undefined;
  for (const key of DATA_KEYS) {
    if (o[key] === undefined || o[key] === null) continue;
    if (found !== undefined) throw new OtlpDecodeError(`metric has both ${found} and ${key} set`);
    found = key;
  }
  let data: MetricData = { type: 'empty' };
  if (found !== undefined) {
    try {
      data = readData(found, jsonObject(o[found], '') ?? {});
    } catch (err) {
      rethrowAt(err, found);
    }
  }
  return { name: jsonString(o.name, 'name'), description: jsonString(o.description, 'description'), unit: jsonString(o.unit, 'unit'), data };
}

function temporality(v: unknown): AggregationTemporalityValue {
  const n = jsonEnum(v, 'aggregationTemporality', TEMPORALITY_NAMES);
  return n === 1 || n === 2 ? n : 0;
}

function readData(type: (typeof DATA_KEYS)[number], o: JsonObject): MetricData {
  switch (type) {
    case 'gauge':
      return { type, points: jsonList(o.dataPoints, 'dataPoints', readNumberPoint) };
    case 'sum':
      return {
        type,
        points: jsonList(o.dataPoints, 'dataPoints', readNumberPoint),
        temporality: temporality(o.aggregationTemporality),
        isMonotonic: jsonBool(o.isMonotonic, 'isMonotonic'),
      };
    case 'histogram':
      return { type, points: jsonList(o.dataPoints, 'dataPoints', readHistogramPoint), temporality: temporality(o.aggregationTemporality) };
    case 'exponentialHistogram':
      return { type, points: jsonList(o.dataPoints, 'dataPoints', readExponentialPoint), temporality: temporality(o.aggregationTemporality) };
    case 'summary':
      return { type, points: jsonList(o.dataPoints, 'dataPoints', readSummaryPoint) };
  }
}

function readNumberPoint(o: JsonObject): NumberDataPoint {
  const hasDouble = o.asDouble !== undefined && o.asDouble !== null;
  const hasInt = o.asInt !== undefined && o.asInt !== null;
  if (hasDouble && hasInt) throw new OtlpDecodeError('data point has both asDouble and asInt set');
  return {
    attributes: jsonAttributes(o.attributes),
    startTimeUnixNano: jsonUint64Big(o.startTimeUnixNano, 'startTimeUnixNano'),
    timeUnixNano: jsonUint64Big(o.timeUnixNano, 'timeUnixNano'),
    value: hasInt ? jsonInt64Number(o.asInt, 'asInt') : jsonDouble(o.asDouble, 'asDouble'),
    flags: jsonUint32(o.flags, 'flags'),
  };
}

function numberList(v: unknown, field: string, read: (item: unknown, field: string) => number): number[] {
  const list = jsonArray(v, field);
  const out = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = read(list[i], `${field}[${i}]`);
  return out;
}

function readHistogramPoint(o: JsonObject): HistogramDataPoint {
  return {
    attributes: jsonAttributes(o.attributes),
    startTimeUnixNano: jsonUint64Big(o.startTimeUnixNano, 'startTimeUnixNano'),
    timeUnixNano: jsonUint64Big(o.timeUnixNano, 'timeUnixNano'),
    count: jsonUint64Number(o.count, 'count'),
    sum: jsonOptionalDouble(o.sum, 'sum'),
    bucketCounts: numberList(o.bucketCounts, 'bucketCounts', jsonUint64Number),
    explicitBounds: numberList(o.explicitBounds, 'explicitBounds', jsonDouble),
    min: jsonOptionalDouble(o.min, 'min'),
    max: jsonOptionalDouble(o.max, 'max'),
    flags: jsonUint32(o.flags, 'flags'),
  };
}

function readBuckets(v: unknown, field: string): ExponentialHistogramBuckets {
  try {
    const o = jsonObject(v, '');
    return { offset: jsonInt32(o?.offset, 'offset'), bucketCounts: numberList(o?.bucketCounts, 'bucketCounts', jsonUint64Number) };
  } catch (err) {
    rethrowAt(err, field);
  }
}

function readExponentialPoint(o: JsonObject): ExponentialHistogramDataPoint {
  return {
    attributes: jsonAttributes(o.attributes),
    startTimeUnixNano: jsonUint64Big(o.startTimeUnixNano, 'startTimeUnixNano'),
    timeUnixNano: jsonUint64Big(o.timeUnixNano, 'timeUnixNano'),
    count: jsonUint64Number(o.count, 'count'),
    sum: jsonOptionalDouble(o.sum, 'sum'),
    scale: jsonInt32(o.scale, 'scale'),
    zeroCount: jsonUint64Number(o.zeroCount, 'zeroCount'),
    zeroThreshold: jsonDouble(o.zeroThreshold, 'zeroThreshold'),
    positive: readBuckets(o.positive, 'positive'),
    negative: readBuckets(o.negative, 'negative'),
    min: jsonOptionalDouble(o.min, 'min'),
    max: jsonOptionalDouble(o.max, 'max'),
    flags: jsonUint32(o.flags, 'flags'),
  };
}

function readSummaryPoint(o: JsonObject): SummaryDataPoint {
  return {
    attributes: jsonAttributes(o.attributes),
    startTimeUnixNano: jsonUint64Big(o.startTimeUnixNano, 'startTimeUnixNano'),
    timeUnixNano: jsonUint64Big(o.timeUnixNano, 'timeUnixNano'),
    count: jsonUint64Number(o.count, 'count'),
    sum: jsonDouble(o.sum, 'sum'),
    flags: jsonUint32(o.flags, 'flags'),
  };
}
