import { writeKeyValues, writeResource, writeScope } from './encode-common-protobuf.js';
import { ProtoWriter } from './proto-writer.js';
import type {
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  SummaryDataPoint,
} from './types.js';

const LEN = 2;
const I64 = 1;
const VARINT = 0;

/**
 * Encodes an `ExportMetricsServiceRequest` as binary protobuf (for tests and benches; the aggregator only
 * decodes). Fields are written in field-number order, proto3 defaults are omitted, repeated scalars are packed,
 * and `NumberDataPoint.value` is written as `as_int` when it is a safe integer, otherwise as `as_double`.
 */
export function encodeMetricsProtobuf(req: ExportMetricsServiceRequest): Uint8Array {
  const w = new ProtoWriter();
  for (const rm of req.resourceMetrics) {
    w.message(1, () => {
      writeResource(w, 1, rm.resource);
      for (const sm of rm.scopeMetrics) {
        w.message(2, () => {
          writeScope(w, 1, sm.scope);
          for (const m of sm.metrics) w.message(2, () => writeMetric(w, m));
        });
      }
    });
  }
  return w.finish();
}

function writeMetric(w: ProtoWriter, m: Metric): void {
  if (m.name !== '') w.tag(1, LEN).string(m.name);
  if (m.description !== '') w.tag(2, LEN).string(m.description);
  if (m.unit !== '') w.tag(3, LEN).string(m.unit);
  const d = m.data;
  switch (d.type) {
    case 'gauge':
      w.message(5, () => {
        for (const p of d.points) w.message(1, () => writeNumberPoint(w, p));
      });
      break;
    case 'sum':
      w.message(7, () => {
        for (const p of d.points) w.message(1, () => writeNumberPoint(w, p));
        if (d.temporality !== 0) w.tag(2, VARINT).varint(d.temporality);
        if (d.isMonotonic) w.tag(3, VARINT).varint(1);
      });
      break;
    case 'histogram':
      w.message(9, () => {
        for (const p of d.points) w.message(1, () => writeHistogramPoint(w, p));
        if (d.temporality !== 0) w.tag(2, VARINT).varint(d.temporality);
      });
      break;
    case 'exponentialHistogram':
      w.message(10, () => {
        for (const p of d.points) w.message(1, () => writeExponentialPoint(w, p));
        if (d.temporality !== 0) w.tag(2, VARINT).varint(d.temporality);
      });
      break;
    case 'summary':
      w.message(11, () => {
        for (const p of d.points) w.message(1, () => writeSummaryPoint(w, p));
      });
      break;
    case 'empty':
      break;
  }
}

function writeTimes(w: ProtoWriter, start: bigint, time: bigint): void {
  if (start !== 0n) w.tag(2, I64).fixed64(start);
  if (time !== 0n) w.tag(3, I64).fixed64(time);
}

function writeNumberPoint(w: ProtoWriter, p: NumberDataPoint): void {
  writeTimes(w, p.startTimeUnixNano, p.timeUnixNano);
  if (Number.isSafeInteger(p.value) && !Object.is(p.value, -0)) w.tag(6, I64).sfixed64Number(p.value);
  else w.tag(4, I64).double(p.value);
  writeKeyValues(w, 7, p.attributes);
  if (p.flags !== 0) w.tag(8, VARINT).varint(p.flags);
}

function writeHistogramPoint(w: ProtoWriter, p: HistogramDataPoint): void {
  writeTimes(w, p.startTimeUnixNano, p.timeUnixNano);
  if (p.count !== 0) w.tag(4, I64).fixed64Number(p.count);
  if (p.sum !== undefined) w.tag(5, I64).double(p.sum);
  if (p.bucketCounts.length > 0) {
    w.message(6, () => {
      for (const c of p.bucketCounts) w.fixed64Number(c);
    });
  }
  if (p.explicitBounds.length > 0) {
    w.message(7, () => {
      for (const b of p.explicitBounds) w.double(b);
    });
  }
  writeKeyValues(w, 9, p.attributes);
  if (p.flags !== 0) w.tag(10, VARINT).varint(p.flags);
  if (p.min !== undefined) w.tag(11, I64).double(p.min);
  if (p.max !== undefined) w.tag(12, I64).double(p.max);
}

function writeBuckets(w: ProtoWriter, field: number, b: ExponentialHistogramBuckets): void {
  if (b.offset === 0 && b.bucketCounts.length === 0) return;
  w.message(field, () => {
    if (b.offset !== 0) w.tag(1, VARINT).sint32(b.offset);
    if (b.bucketCounts.length > 0) {
      w.message(2, () => {
        for (const c of b.bucketCounts) w.varint(c);
      });
    }
  });
}

function writeExponentialPoint(w: ProtoWriter, p: ExponentialHistogramDataPoint): void {
  writeKeyValues(w, 1, p.attributes);
  writeTimes(w, p.startTimeUnixNano, p.timeUnixNano);
  if (p.count !== 0) w.tag(4, I64).fixed64Number(p.count);
  if (p.sum !== undefined) w.tag(5, I64).double(p.sum);
  if (p.scale !== 0) w.tag(6, VARINT).sint32(p.scale);
  if (p.zeroCount !== 0) w.tag(7, I64).fixed64Number(p.zeroCount);
  writeBuckets(w, 8, p.positive);
  writeBuckets(w, 9, p.negative);
  if (p.flags !== 0) w.tag(10, VARINT).varint(p.flags);
  if (p.min !== undefined) w.tag(12, I64).double(p.min);
  if (p.max !== undefined) w.tag(13, I64).double(p.max);
  if (p.zeroThreshold !== 0) w.tag(14, I64).double(p.zeroThreshold);
}

function writeSummaryPoint(w: ProtoWriter, p: SummaryDataPoint): void {
  writeTimes(w, p.startTimeUnixNano, p.timeUnixNano);
  if (p.count !== 0) w.tag(4, I64).fixed64Number(p.count);
  if (p.sum !== 0) w.tag(5, I64).double(p.sum);
  writeKeyValues(w, 7, p.attributes);
  if (p.flags !== 0) w.tag(8, VARINT).varint(p.flags);
}
