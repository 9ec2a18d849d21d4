import { emptyAttributes } from './attributes.js';
import {
  emptyResource,
  emptyScope,
  readAttribute,
  readMessage,
  readResource,
  readScope,
} from './decode-common-protobuf.js';
import { OtlpDecodeError, rethrowAt } from './otlp-decode-error.js';
import { ProtoReader } from './proto-reader.js';
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

// Tags below are `fieldNumber << 3 | wireType` of opentelemetry/proto/metrics/v1/metrics.proto.

/**
 * Decodes a binary protobuf `ExportMetricsServiceRequest` (opentelemetry/proto/collector/metrics/v1).
 * Unknown fields (of any wire type) are skipped; unset fields take their proto3 defaults.
 * Cost: O(bytes), one pass, no intermediate objects beyond the result.
 * @throws OtlpDecodeError with the path of the offending message on undecodable input.
 */
export function decodeMetricsProtobuf(bytes: Uint8Array): ExportMetricsServiceRequest {
  const r = new ProtoReader(bytes);
  const end = bytes.length;
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      try {
        resourceMetrics.push(readResourceMetrics(r, e));
      } catch (err) {
        rethrowAt(err, 'resourceMetrics', resourceMetrics.length);
      }
    } else r.skip(tag, end);
  }
  return { resourceMetrics };
}

function readResourceMetrics(r: ProtoReader, end: number): ResourceMetrics {
  let resource = emptyResource();
  const scopeMetrics: ScopeMetrics[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) resource = readMessage(r, end, 'resource', readResource);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      try {
        scopeMetrics.push(readScopeMetrics(r, e));
      } catch (err) {
        rethrowAt(err, 'scopeMetrics', scopeMetrics.length);
      }
    } else r.skip(tag, end);
  }
  return { resource, scopeMetrics };
}

function readScopeMetrics(r: ProtoReader, end: number): ScopeMetrics {
  let scope = emptyScope();
  const metrics: Metric[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) scope = readMessage(r, end, 'scope', readScope);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      try {
        metrics.push(readMetric(r, e));
      } catch (err) {
        rethrowAt(err, 'metrics', metrics.length);
      }
    } else r.skip(tag, end);
  }
  return { scope, metrics };
}

function readMetric(r: ProtoReader, end: number): Metric {
  let name = '';
  let description = '';
  let unit = '';
  let data: MetricData = { type: 'empty' };
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a:
        name = r.string(end);
        break;
      case 0x12:
        description = r.string(end);
        break;
      case 0x1a:
        unit = r.string(end);
        break;
      case 0x2a: // gauge = 5
        data = readMessage(r, end, 'gauge', readGauge);
        break;
      case 0x3a: // sum = 7
        data = readMessage(r, end, 'sum', readSum);
        break;
      case 0x4a: // histogram = 9
        data = readMessage(r, end, 'histogram', readHistogram);
        break;
      case 0x52: // exponential_histogram = 10
        data = readMessage(r, end, 'exponentialHistogram', readExponentialHistogram);
        break;
      case 0x5a: // summary = 11
        data = readMessage(r, end, 'summary', readSummary);
        break;
      default:
        r.skip(tag, end);
    }
  }
  return { name, description, unit, data };
}

/** Unknown temporality values (an open proto3 enum) are mapped to UNSPECIFIED. */
function temporality(n: number): AggregationTemporalityValue {
  return n === 1 || n === 2 ? n : 0;
}

function readGauge(r: ProtoReader, end: number): MetricData {
  const points: NumberDataPoint[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) pushPoint(r, end, points, readNumberPoint);
    else r.skip(tag, end);
  }
  return { type: 'gauge', points };
}

function readSum(r: ProtoReader, end: number): MetricData {
  const points: NumberDataPoint[] = [];
  let t = 0;
  let isMonotonic = false;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) pushPoint(r, end, points, readNumberPoint);
    else if (tag === 0x10) t = r.varint32(end);
    else if (tag === 0x18) isMonotonic = r.bool(end);
    else r.skip(tag, end);
  }
  return { type: 'sum', points, temporality: temporality(t), isMonotonic };
}

function readHistogram(r: ProtoReader, end: number): MetricData {
  const points: HistogramDataPoint[] = [];
  let t = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) pushPoint(r, end, points, readHistogramPoint);
    else if (tag === 0x10) t = r.varint32(end);
    else r.skip(tag, end);
  }
  return { type: 'histogram', points, temporality: temporality(t) };
}

function readExponentialHistogram(r: ProtoReader, end: number): MetricData {
  const points: ExponentialHistogramDataPoint[] = [];
  let t = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) pushPoint(r, end, points, readExponentialPoint);
    else if (tag === 0x10) t = r.varint32(end);
    else r.skip(tag, end);
  }
  return { type: 'exponentialHistogram', points, temporality: temporality(t) };
}

function readSummary(r: ProtoReader, end: number): MetricData {
  const points: SummaryDataPoint[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) pushPoint(r, end, points, readSummaryPoint);
    else r.skip(tag, end);
  }
  return { type: 'summary', points };
}

function pushPoint<T>(r: ProtoReader, end: number, points: T[], read: (r: ProtoReader, end: number) => T): void {
  const e = r.lengthEnd(end);
  try {
    points.push(read(r, e));
  } catch (err) {
    rethrowAt(err, 'dataPoints', points.length);
  }
}

function readNumberPoint(r: ProtoReader, end: number): NumberDataPoint {
  const attributes = emptyAttributes();
  let n = 0;
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let value = 0;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x3a: // attributes = 7
        readAttribute(r, end, attributes, 'attributes', n++);
        break;
      case 0x11: // start_time_unix_nano = 2
        startTimeUnixNano = r.fixed64Big(end);
        break;
      case 0x19: // time_unix_nano = 3
        timeUnixNano = r.fixed64Big(end);
        break;
      case 0x21: // as_double = 4
        value = r.double(end);
        break;
      case 0x31: // as_int = 6 (sfixed64)
        value = r.sfixed64Number(end);
        break;
      case 0x40: // flags = 8
        flags = r.varint32(end) >>> 0;
        break;
      default: // exemplars = 5 and unknown fields
        r.skip(tag, end);
    }
  }
  return { attributes, startTimeUnixNano, timeUnixNano, value, flags };
}

function readHistogramPoint(r: ProtoReader, end: number): HistogramDataPoint {
  const attributes = emptyAttributes();
  let n = 0;
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0;
  let sum: number | undefined;
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  let min: number | undefined;
  let max: number | undefined;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x4a: // attributes = 9
        readAttribute(r, end, attributes, 'attributes', n++);
        break;
      case 0x11:
        startTimeUnixNano = r.fixed64Big(end);
        break;
      case 0x19:
        timeUnixNano = r.fixed64Big(end);
        break;
      case 0x21: // count = 4 (fixed64)
        count = r.fixed64Number(end);
        break;
      case 0x29: // sum = 5
        sum = r.double(end);
        break;
      case 0x32: {
        // bucket_counts = 6, packed fixed64
        const e = r.lengthEnd(end);
        if ((e - r.pos) % 8 !== 0) rethrowPacked('bucketCounts', `packed fixed64 length ${e - r.pos} is not a multiple of 8`);
        while (r.pos < e) bucketCounts.push(r.fixed64Number(e));
        break;
      }
      case 0x31: // bucket_counts = 6, unpacked
        bucketCounts.push(r.fixed64Number(end));
        break;
      case 0x3a: {
        // explicit_bounds = 7, packed double
        const e = r.lengthEnd(end);
        if ((e - r.pos) % 8 !== 0) rethrowPacked('explicitBounds', `packed double length ${e - r.pos} is not a multiple of 8`);
        while (r.pos < e) explicitBounds.push(r.double(e));
        break;
      }
      case 0x39: // explicit_bounds = 7, unpacked
        explicitBounds.push(r.double(end));
        break;
      case 0x50: // flags = 10
        flags = r.varint32(end) >>> 0;
        break;
      case 0x59: // min = 11
        min = r.double(end);
        break;
      case 0x61: // max = 12
        max = r.double(end);
        break;
      default: // exemplars = 8 and unknown fields
        r.skip(tag, end);
    }
  }
  return { attributes, startTimeUnixNano, timeUnixNano, count, sum, bucketCounts, explicitBounds, min, max, flags };
}

function rethrowPacked(field: string, reason: string): never {
  rethrowAt(new OtlpDecodeError(reason), field);
}

function readBuckets(r: ProtoReader, end: number): ExponentialHistogramBuckets {
  let offset = 0;
  let bucketCounts: number[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x12) {
      // bucket_counts = 2, packed uint64 varints: the hot loop of the whole decoder
      const e = r.lengthEnd(end);
      const packed = readPackedVarints(r, e);
      bucketCounts = bucketCounts.length === 0 ? packed : bucketCounts.concat(packed);
    } else if (tag === 0x08) offset = r.sint32(end);
    else if (tag === 0x10) bucketCounts.push(r.varintNumber(end)); // unpacked
    else r.skip(tag, end);
  }
  return { offset, bucketCounts };
}

/**
 * Reads packed uint64 varints up to `end` with inline 1- and 2-byte paths. The array is allocated at the upper
 * bound (one element per byte) and trimmed, which is cheaper than growing it or counting first.
 */
function readPackedVarints(r: ProtoReader, end: number): number[] {
  const buf = r.buf;
  let pos = r.pos;
  const out = new Array<number>(end - pos);
  let i = 0;
  while (pos < end) {
    const b0 = buf[pos]!;
    if (b0 < 0x80) {
      out[i++] = b0;
      pos += 1;
      continue;
    }
    if (pos + 1 < end) {
      const b1 = buf[pos + 1]!;
      if (b1 < 0x80) {
        out[i++] = (b0 & 0x7f) | (b1 << 7);
        pos += 2;
        continue;
      }
    }
    r.pos = pos;
    out[i++] = r.varintNumber(end);
    pos = r.pos;
  }
  r.pos = pos;
  out.length = i;
  return out;
}

function readExponentialPoint(r: ProtoReader, end: number): ExponentialHistogramDataPoint {
  const attributes = emptyAttributes();
  let n = 0;
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0;
  let sum: number | undefined;
  let scale = 0;
  let zeroCount = 0;
  let zeroThreshold = 0;
  let positive: ExponentialHistogramBuckets | undefined;
  let negative: ExponentialHistogramBuckets | undefined;
  let min: number | undefined;
  let max: number | undefined;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a: // attributes = 1
        readAttribute(r, end, attributes, 'attributes', n++);
        break;
      case 0x11:
        startTimeUnixNano = r.fixed64Big(end);
        break;
      case 0x19:
        timeUnixNano = r.fixed64Big(end);
        break;
      case 0x21: // count = 4
        count = r.fixed64Number(end);
        break;
      case 0x29: // sum = 5
        sum = r.double(end);
        break;
      case 0x30: // scale = 6 (sint32)
        scale = r.sint32(end);
        break;
      case 0x39: // zero_count = 7 (fixed64)
        zeroCount = r.fixed64Number(end);
        break;
      case 0x42: // positive = 8
        positive = readMessage(r, end, 'positive', readBuckets);
        break;
      case 0x4a: // negative = 9
        negative = readMessage(r, end, 'negative', readBuckets);
        break;
      case 0x50: // flags = 10
        flags = r.varint32(end) >>> 0;
        break;
      case 0x61: // min = 12
        min = r.double(end);
        break;
      case 0x69: // max = 13
        max = r.double(end);
        break;
      case 0x71: // zero_threshold = 14
        zeroThreshold = r.double(end);
        break;
      default: // exemplars = 11 and unknown fields
        r.skip(tag, end);
    }
  }
  return {
    attributes,
    startTimeUnixNano,
    timeUnixNano,
    count,
    sum,
    scale,
    zeroCount,
    zeroThreshold,
    positive: positive ?? { offset: 0, bucketCounts: [] },
    negative: negative ?? { offset: 0, bucketCounts: [] },
    min,
    max,
    flags,
  };
}

function readSummaryPoint(r: ProtoReader, end: number): SummaryDataPoint {
  const attributes = emptyAttributes();
  let n = 0;
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0;
  let sum = 0;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x3a: // attributes = 7
        readAttribute(r, end, attributes, 'attributes', n++);
        break;
      case 0x11:
        startTimeUnixNano = r.fixed64Big(end);
        break;
      case 0x19:
        timeUnixNano = r.fixed64Big(end);
        break;
      case 0x21: // count = 4
        count = r.fixed64Number(end);
        break;
      case 0x29: // sum = 5
        sum = r.double(end);
        break;
      case 0x40: // flags = 8
        flags = r.varint32(end) >>> 0;
        break;
      default: // quantile_values = 6 and unknown fields
        r.skip(tag, end);
    }
  }
  return { attributes, startTimeUnixNano, timeUnixNano, count, sum, flags };
}
