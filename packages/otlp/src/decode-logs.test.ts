import { describe, expect, it } from 'vitest';
import { createAttributes } from './attributes.js';
import { decodeLogsJson } from './decode-logs-json.js';
import { decodeLogsProtobuf } from './decode-logs-protobuf.js';
import { encodeLogsJson } from './encode-logs-json.js';
import { encodeLogsProtobuf } from './encode-logs-protobuf.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { ProtoWriter } from './proto-writer.js';
import { sampleLogsRequest } from './sample-requests.js';

function logRecords(w: ProtoWriter, body: (w: ProtoWriter) => void): Uint8Array {
  w.message(1, () => w.message(2, () => w.message(2, () => body(w))));
  return w.finish();
}

describe('logs decoding', () => {
  it('round-trips every log record field through protobuf and JSON', () => {
    const req = sampleLogsRequest();
    expect(decodeLogsProtobuf(encodeLogsProtobuf(req))).toStrictEqual(req);
    expect(decodeLogsJson(encodeLogsJson(req))).toStrictEqual(req);
  });

  it('reads traceId and spanId as case-insensitive hex in JSON', () => {
    const text = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'eee19b7ec3c1b174', severityNumber: 'SEVERITY_NUMBER_WARN3', flags: 1 },
                { traceId: '', spanId: null, body: { stringValue: 'x' } },
              ],
            },
          ],
        },
      ],
    });
    const [a, b] = decodeLogsJson(text).resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(Array.from(a!.traceId!)).toEqual([0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c]);
    expect(Array.from(a!.spanId!)).toEqual([0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74]);
    expect(a!.severityNumber).toBe(15);
    expect(a!.body).toBeNull();
    expect(b!.traceId).toBeUndefined();
    expect(b!.spanId).toBeUndefined();
    expect(b!.body).toBe('x');
  });

  it('skips unknown protobuf fields and reads flags as fixed32', () => {
    const bytes = logRecords(new ProtoWriter(), (w) => {
      w.tag(8, 5).fixed32(0x01000001);
      w.tag(7, 0).varint(3); // dropped_attributes_count: ignored
      w.tag(4, 2).string('reserved field 4');
      w.tag(99, 1).double(1);
      w.message(5, () => w.tag(2, 0).varint(1));
    });
    const [r] = decodeLogsProtobuf(bytes).resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(r).toEqual({
      timeUnixNano: 0n,
      observedTimeUnixNano: 0n,
      severityNumber: 0,
      severityText: '',
      body: true,
      attributes: createAttributes(),
      eventName: '',
      traceId: undefined,
      spanId: undefined,
      flags: 0x01000001,
    });
  });

  it('rejects malformed input with paths', () => {
    const bytes = logRecords(new ProtoWriter(), (w) => w.message(5, () => w.tag(1, 2).varint(9).string('abc')));
    expect(() => decodeLogsProtobuf(bytes)).toThrow(OtlpDecodeError);
    expect(() => decodeLogsProtobuf(bytes)).toThrow(/^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.body: length 9 at offset \d+ exceeds the 4 bytes left$/);
    const text = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{}, { traceId: 'xyz' }] }] }] });
    expect(() => decodeLogsJson(text)).toThrow('resourceLogs[0].scopeLogs[0].logRecords[1].traceId: expected a hex string, got "xyz"');
  });
});
