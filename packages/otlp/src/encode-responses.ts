import { ProtoWriter } from './proto-writer.js';
import type { FieldViolation, LogsPartialSuccess, MetricsPartialSuccess, RpcStatus, WireFormat } from './types.js';

const utf8Encoder = new TextEncoder();
export const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';

/** A partial success that rejects nothing and says nothing is a full success: `partial_success` stays unset. */
function isEmpty(rejected: number, errorMessage: string): boolean {
  return rejected === 0 && errorMessage === '';
}

function encodePartial(rejectedKey: string, rejected: number, errorMessage: string, format: WireFormat): Uint8Array {
  if (format === 'json') {
    if (isEmpty(rejected, errorMessage)) return utf8Encoder.encode('{}');
    const partial: Record<string, string> = {};
    if (rejected !== 0) partial[rejectedKey] = String(rejected);
    if (errorMessage !== '') partial.errorMessage = errorMessage;
    return utf8Encoder.encode(JSON.stringify({ partialSuccess: partial }));
  }
  const w = new ProtoWriter();
  if (!isEmpty(rejected, errorMessage)) {
    // Export<Signal>ServiceResponse { partial_success = 1 { rejected_<signal> = 1 (int64); error_message = 2 } }
    w.message(1, () => {
      if (rejected !== 0) w.tag(1, 0).int64(rejected);
      if (errorMessage !== '') w.tag(2, 2).string(errorMessage);
    });
  }
  return w.finish();
}

/**
 * Encodes an `ExportMetricsServiceResponse` (opentelemetry/proto/collector/metrics/v1). `partialSuccess` is set
 * only when `partial` rejects points or carries a message; the full-success body is empty (protobuf) or `{}` (JSON).
 */
export function encodeExportMetricsResponse(partial: MetricsPartialSuccess | undefined, format: WireFormat): Uint8Array {
  return encodePartial('rejectedDataPoints', partial?.rejectedDataPoints ?? 0, partial?.errorMessage ?? '', format);
}

/** Encodes an `ExportLogsServiceResponse` (opentelemetry/proto/collector/logs/v1), like encodeExportMetricsResponse. */
export function encodeExportLogsResponse(partial: LogsPartialSuccess | undefined, format: WireFormat): Uint8Array {
  return encodePartial('rejectedLogRecords', partial?.rejectedLogRecords ?? 0, partial?.errorMessage ?? '', format);
}

function encodeBadRequest(violations: readonly FieldViolation[]): Uint8Array {
  // google.rpc.BadRequest { repeated FieldViolation field_violations = 1 { string field = 1; string description = 2 } }
  const w = new ProtoWriter();
  for (const v of violations) {
    w.message(1, () => {
      if (v.field !== '') w.tag(1, 2).string(v.field);
      if (v.description !== '') w.tag(2, 2).string(v.description);
    });
  }
  return w.finish();
}

/**
 * Encodes a `google.rpc.Status` { code = 1 (int32); message = 2; details = 3 (repeated google.protobuf.Any) },
 * the body of every OTLP/HTTP 4xx/5xx response. `badRequest` becomes one `google.rpc.BadRequest` detail.
 */
export function encodeStatus(status: RpcStatus, format: WireFormat): Uint8Array {
  const violations = status.badRequest ?? [];
  if (format === 'json') {
    const o: Record<string, unknown> = {};
    if (status.code !== 0) o.code = status.code;
    if (status.message !== '') o.message = status.message;
    if (violations.length > 0) {
      o.details = [{ '@type': BAD_REQUEST_TYPE_URL, fieldViolations: violations.map((v) => ({ field: v.field, description: v.description })) }];
    }
    return utf8Encoder.encode(JSON.stringify(o));
  }
  const w = new ProtoWriter();
  if (status.code !== 0) w.tag(1, 0).int64(status.code);
  if (status.message !== '') w.tag(2, 2).string(status.message);
  if (violations.length > 0) {
    w.message(3, () => {
      w.tag(1, 2).string(BAD_REQUEST_TYPE_URL);
      w.tag(2, 2).bytes(encodeBadRequest(violations));
    });
  }
  return w.finish();
}
