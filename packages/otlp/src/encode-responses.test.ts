import { JsonLogsSerializer, JsonMetricsSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeExportLogsResponse, decodeExportMetricsResponse, decodeStatus } from './decode-responses.js';
import { encodeExportLogsResponse, encodeExportMetricsResponse, encodeStatus } from './encode-responses.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('response encoders', () => {
  it('leave partial_success unset on full success', () => {
    expect(encodeExportMetricsResponse(undefined, 'protobuf')).toEqual(new Uint8Array(0));
    expect(encodeExportMetricsResponse({ rejectedDataPoints: 0, errorMessage: '' }, 'protobuf')).toEqual(new Uint8Array(0));
    expect(text(encodeExportMetricsResponse(undefined, 'json'))).toBe('{}');
    expect(text(encodeExportLogsResponse({ rejectedLogRecords: 0, errorMessage: '' }, 'json'))).toBe('{}');
    expect(ProtobufMetricsSerializer.deserializeResponse(encodeExportMetricsResponse(undefined, 'protobuf'))).toEqual({});
    expect(decodeExportMetricsResponse(new Uint8Array(0), 'protobuf')).toBeUndefined();
  });

  it('encode partial success that the official OTLP deserializers read back', () => {
    const partial = { rejectedDataPoints: 3, errorMessage: '3 points lack ml.model.name' };
    const pb = encodeExportMetricsResponse(partial, 'protobuf');
    expect(ProtobufMetricsSerializer.deserializeResponse(pb)).toEqual({ partialSuccess: { rejectedDataPoints: 3, errorMessage: partial.errorMessage } });
    expect(decodeExportMetricsResponse(pb, 'protobuf')).toEqual(partial);

    const json = encodeExportMetricsResponse(partial, 'json');
    expect(JSON.parse(text(json))).toEqual({ partialSuccess: { rejectedDataPoints: '3', errorMessage: partial.errorMessage } });
    expect(JsonMetricsSerializer.deserializeResponse(json)).toEqual({ partialSuccess: { rejectedDataPoints: '3', errorMessage: partial.errorMessage } });
    expect(decodeExportMetricsResponse(json, 'json')).toEqual(partial);

    const logs = { rejectedLogRecords: 2, errorMessage: 'two records without ml.prediction.id' };
    expect(ProtobufLogsSerializer.deserializeResponse(encodeExportLogsResponse(logs, 'protobuf'))).toEqual({ partialSuccess: logs });
    expect(JsonLogsSerializer.deserializeResponse(encodeExportLogsResponse(logs, 'json'))).toEqual({ partialSuccess: { ...logs, rejectedLogRecords: '2' } });
    expect(decodeExportLogsResponse(encodeExportLogsResponse(logs, 'json'), 'json')).toEqual(logs);
    expect(decodeExportLogsResponse(encodeExportLogsResponse(logs, 'protobuf'), 'protobuf')).toEqual(logs);
  });

  it('encode a warning-only partial success (0 rejected, a message)', () => {
    const warning = { rejectedDataPoints: 0, errorMessage: 'series limit nearly reached' };
    expect(ProtobufMetricsSerializer.deserializeResponse(encodeExportMetricsResponse(warning, 'protobuf'))).toEqual({
      partialSuccess: { errorMessage: warning.errorMessage },
    });
    expect(decodeExportMetricsResponse(encodeExportMetricsResponse(warning, 'json'), 'json')).toEqual(warning);
  });

  it('encode google.rpc.Status with a BadRequest detail in both formats', () => {
    const status = { code: 3, message: 'undecodable body', badRequest: [{ field: 'resourceMetrics[0]', description: 'invalid wire type 7' }] };
    for (const format of ['protobuf', 'json'] as const) {
      expect(decodeStatus(encodeStatus(status, format), format)).toEqual(status);
      expect(decodeStatus(encodeStatus({ code: 14, message: 'busy' }, format), format)).toEqual({ code: 14, message: 'busy' });
    }
    expect(JSON.parse(text(encodeStatus(status, 'json')))).toEqual({
      code: 3,
      message: 'undecodable body',
      details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'resourceMetrics[0]', description: 'invalid wire type 7' }] }],
    });
    // protobuf layout: code = 1 (varint), message = 2 (string)
    expect(Array.from(encodeStatus({ code: 3, message: 'x' }, 'protobuf'))).toEqual([0x08, 0x03, 0x12, 0x01, 0x78]);
  });
});
