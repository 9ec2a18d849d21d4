import { emptyAttributes } from './attributes.js';
import {
  emptyResource,
  emptyScope,
  readAnyValue,
  readAttribute,
  readMessage,
  readResource,
  readScope,
} from './decode-common-protobuf.js';
import { rethrowAt } from './otlp-decode-error.js';
import { ProtoReader } from './proto-reader.js';
import type { AttributeValue, ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from './types.js';

// Tags below are `fieldNumber << 3 | wireType` of opentelemetry/proto/logs/v1/logs.proto.

/**
 * Decodes a binary protobuf `ExportLogsServiceRequest` (opentelemetry/proto/collector/logs/v1).
 * Cost: O(bytes), one pass.
 * @throws OtlpDecodeError with the path of the offending message on undecodable input.
 */
export function decodeLogsProtobuf(bytes: Uint8Array): ExportLogsServiceRequest {
  const r = new ProtoReader(bytes);
  const end = bytes.length;
  const resourceLogs: ResourceLogs[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) {
      const e = r.lengthEnd(end);
      try {
        resourceLogs.push(readResourceLogs(r, e));
      } catch (err) {
        rethrowAt(err, 'resourceLogs', resourceLogs.length);
      }
    } else r.skip(tag, end);
  }
  return { resourceLogs };
}

function readResourceLogs(r: ProtoReader, end: number): ResourceLogs {
  let resource = emptyResource();
  const scopeLogs: ScopeLogs[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) resource = readMessage(r, end, 'resource', readResource);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      try {
        scopeLogs.push(readScopeLogs(r, e));
      } catch (err) {
        rethrowAt(err, 'scopeLogs', scopeLogs.length);
      }
    } else r.skip(tag, end);
  }
  return { resource, scopeLogs };
}

function readScopeLogs(r: ProtoReader, end: number): ScopeLogs {
  let scope = emptyScope();
  const logRecords: LogRecord[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) scope = readMessage(r, end, 'scope', readScope);
    else if (tag === 0x12) {
      const e = r.lengthEnd(end);
      try {
        logRecords.push(readLogRecord(r, e));
      } catch (err) {
        rethrowAt(err, 'logRecords', logRecords.length);
      }
    } else r.skip(tag, end);
  }
  return { scope, logRecords };
}

function readBody(r: ProtoReader, end: number): AttributeValue {
  return readAnyValue(r, end, 0);
}

function readLogRecord(r: ProtoReader, end: number): LogRecord {
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AttributeValue = null;
  const attributes = emptyAttributes();
  let n = 0;
  let eventName = '';
  let traceId: Uint8Array | undefined;
  let spanId: Uint8Array | undefined;
  let flags = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x09: // time_unix_nano = 1 (fixed64)
        timeUnixNano = r.fixed64Big(end);
        break;
      case 0x59: // observed_time_unix_nano = 11 (fixed64)
        observedTimeUnixNano = r.fixed64Big(end);
        break;
      case 0x10: // severity_number = 2
        severityNumber = r.varint32(end);
        break;
      case 0x1a: // severity_text = 3
        severityText = r.string(end);
        break;
      case 0x2a: // body = 5
        body = readMessage(r, end, 'body', readBody);
        break;
      case 0x32: // attributes = 6
        readAttribute(r, end, attributes, 'attributes', n++);
        break;
      case 0x45: // flags = 8 (fixed32)
        flags = r.fixed32(end);
        break;
      case 0x4a: // trace_id = 9
        traceId = r.bytes(end);
        break;
      case 0x52: // span_id = 10
        spanId = r.bytes(end);
        break;
      case 0x62: // event_name = 12
        eventName = r.string(end);
        break;
      default: // dropped_attributes_count = 7 and unknown fields
        r.skip(tag, end);
    }
  }
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    eventName,
    traceId: traceId !== undefined && traceId.length > 0 ? traceId : undefined,
    spanId: spanId !== undefined && spanId.length > 0 ? spanId : undefined,
    flags,
  };
}
