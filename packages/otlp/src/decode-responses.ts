import { parseJsonObject } from './decode-common-json.js';
import { BAD_REQUEST_TYPE_URL } from './encode-responses.js';
import { jsonArray, jsonInt32, jsonInt64Number, jsonObject, jsonString } from './json-scalars.js';
import { rethrowAt } from './otlp-decode-error.js';
import { ProtoReader } from './proto-reader.js';
import type { FieldViolation, LogsPartialSuccess, MetricsPartialSuccess, RpcStatus, WireFormat } from './types.js';

const utf8Decoder = new TextDecoder();

/** Reads `{ partial_success = 1 { rejected = 1 (int64); error_message = 2 } }`; undefined when unset. */
function decodePartialProtobuf(body: Uint8Array): { rejected: number; errorMessage: string } | undefined {
  const r = new ProtoReader(body);
  let partial: { rejected: number; errorMessage: string } | undefined;
  while (r.pos < body.length) {
    const tag = r.tag(body.length);
    if (tag !== 0x0a) {
      r.skip(tag, body.length);
      continue;
    }
    const e = r.lengthEnd(body.length);
    partial = { rejected: 0, errorMessage: '' };
    try {
      while (r.pos < e) {
        const t = r.tag(e);
        if (t === 0x08) partial.rejected = r.int64Number(e);
        else if (t === 0x12) partial.errorMessage = r.string(e);
        else r.skip(t, e);
      }
    } catch (err) {
      rethrowAt(err, 'partialSuccess');
    }
  }
  return partial;
}

function decodePartialJson(body: Uint8Array, rejectedKey: string): { rejected: number; errorMessage: string } | undefined {
  const root = parseJsonObject(utf8Decoder.decode(body));
  try {
    const o = jsonObject(root.partialSuccess, '');
    if (o === undefined) return undefined;
    return { rejected: jsonInt64Number(o[rejectedKey], rejectedKey), errorMessage: jsonString(o.errorMessage, 'errorMessage') };
  } catch (err) {
    rethrowAt(err, 'partialSuccess');
  }
}

/** Decodes an `ExportMetricsServiceResponse`: its partial success, or undefined for a full success. */
export function decodeExportMetricsResponse(body: Uint8Array, format: WireFormat): MetricsPartialSuccess | undefined {
  const p = format === 'json' ? (body.length === 0 ? undefined : decodePartialJson(body, 'rejectedDataPoints')) : decodePartialProtobuf(body);
  return p && { rejectedDataPoints: p.rejected, errorMessage: p.errorMessage };
}

/** Decodes an `ExportLogsServiceResponse`: its partial success, or undefined for a full success. */
export function decodeExportLogsResponse(body: Uint8Array, format: WireFormat): LogsPartialSuccess | undefined {
  const p = format === 'json' ? (body.length === 0 ? undefined : decodePartialJson(body, 'rejectedLogRecords')) : decodePartialProtobuf(body);
  return p && { rejectedLogRecords: p.rejected, errorMessage: p.errorMessage };
}

function decodeViolationsProtobuf(bytes: Uint8Array): FieldViolation[] {
  const r = new ProtoReader(bytes);
  const out: FieldViolation[] = [];
  while (r.pos < bytes.length) {
    const tag = r.tag(bytes.length);
    if (tag !== 0x0a) {
      r.skip(tag, bytes.length);
      continue;
    }
    const e = r.lengthEnd(bytes.length);
    const v: FieldViolation = { field: '', description: '' };
    while (r.pos < e) {
      const t = r.tag(e);
      if (t === 0x0a) v.field = r.string(e);
      else if (t === 0x12) v.description = r.string(e);
      else r.skip(t, e);
    }
    out.push(v);
  }
  return out;
}

/**
 * Decodes a `google.rpc.Status` (the body of OTLP/HTTP error responses). `google.rpc.BadRequest` details are
 * returned as `badRequest`; other details are ignored.
 */
export function decodeStatus(body: Uint8Array, format: WireFormat): RpcStatus {
  const status: RpcStatus = { code: 0, message: '' };
  const violations: FieldViolation[] = [];
  if (format === 'json') {
    const root = parseJsonObject(utf8Decoder.decode(body));
    status.code = jsonInt32(root.code, 'code');
    status.message = jsonString(root.message, 'message');
    for (const d of jsonArray(root.details, 'details')) {
      const detail = jsonObject(d, 'details');
      if (detail?.['@type'] !== BAD_REQUEST_TYPE_URL) continue;
      for (const v of jsonArray(detail.fieldViolations, 'fieldViolations')) {
        const o = jsonObject(v, 'fieldViolations');
        violations.push({ field: jsonString(o?.field, 'field'), description: jsonString(o?.description, 'description') });
      }
    }
  } else {
    const r = new ProtoReader(body);
    const end = body.length;
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === 0x08) status.code = r.varint32(end);
      else if (tag === 0x12) status.message = r.string(end);
      else if (tag === 0x1a) {
        const e = r.lengthEnd(end);
        let typeUrl = '';
        let value: Uint8Array = new Uint8Array(0);
        while (r.pos < e) {
          const t = r.tag(e);
          if (t === 0x0a) typeUrl = r.string(e);
          else if (t === 0x12) value = r.bytes(e);
          else r.skip(t, e);
        }
        if (typeUrl === BAD_REQUEST_TYPE_URL) violations.push(...decodeViolationsProtobuf(value));
      } else r.skip(tag, end);
    }
  }
  if (violations.length > 0) status.badRequest = violations;
  return status;
}
