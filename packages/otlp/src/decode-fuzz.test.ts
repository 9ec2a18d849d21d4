// Seeded random and mutated payloads: every decoder either returns or throws OtlpDecodeError — never another
// exception, never a hang (a hang would hit the test timeout).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson } from './decode-logs-json.js';
import { decodeLogsProtobuf } from './decode-logs-protobuf.js';
import { decodeMetricsJson } from './decode-metrics-json.js';
import { decodeMetricsProtobuf } from './decode-metrics-protobuf.js';
import { encodeLogsJson } from './encode-logs-json.js';
import { encodeLogsProtobuf } from './encode-logs-protobuf.js';
import { encodeMetricsJson } from './encode-metrics-json.js';
import { encodeMetricsProtobuf } from './encode-metrics-protobuf.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { sampleLogsRequest, sampleMetricsRequest } from './sample-requests.js';

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

/** Applies mutations to a copy of `base` (positions are taken modulo the current length). */
function mutate(base: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = Uint8Array.from(base);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length > 0) b[at] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.length)]);
        break;
      case 'duplicate':
        b = Uint8Array.from([...b.subarray(0, at + m.length), ...b.subarray(at, at + m.length), ...b.subarray(at + m.length)]);
        break;
    }
  }
  return b;
}

/** Runs `decode`; returns 'ok' or 'rejected', and fails the test on any other exception. */
function outcome(decode: () => unknown): 'ok' | 'rejected' {
  try {
    decode();
    return 'ok';
  } catch (err) {
    if (!(err instanceof OtlpDecodeError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
    return 'rejected';
  }
}

describe('decoders on random and mutated input', () => {
  const metricsBytes = encodeMetricsProtobuf(sampleMetricsRequest());
  const logsBytes = encodeLogsProtobuf(sampleLogsRequest());

  it('mutated protobuf metrics requests (1000 seeded cases) → result or OtlpDecodeError', () => {
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        seen[outcome(() => decodeMetricsProtobuf(mutate(metricsBytes, mutations)))]++;
      }),
      { seed: 42, numRuns: 1000 },
    );
    // the mutations reach both outcomes, so the decoder was exercised past the first bytes
    expect(seen.ok).toBeGreaterThan(50);
    expect(seen.rejected).toBeGreaterThan(50);
  });

  it('mutated protobuf logs requests → result or OtlpDecodeError', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        outcome(() => decodeLogsProtobuf(mutate(logsBytes, mutations)));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('purely random bytes → result or OtlpDecodeError for both signals', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        outcome(() => decodeMetricsProtobuf(bytes));
        outcome(() => decodeLogsProtobuf(bytes));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('mutated OTLP/JSON text → result or OtlpDecodeError', () => {
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    const metricsJson = encoder.encode(encodeMetricsJson(sampleMetricsRequest()));
    const logsJson = encoder.encode(encodeLogsJson(sampleLogsRequest()));
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        outcome(() => decodeMetricsJson(decoder.decode(mutate(metricsJson, mutations))));
        outcome(() => decodeLogsJson(decoder.decode(mutate(logsJson, mutations))));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('structurally valid JSON of the wrong shapes → result or OtlpDecodeError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [value, { name: 'm', gauge: { dataPoints: [value] } }] }] }] });
        outcome(() => decodeMetricsJson(text));
        outcome(() => decodeLogsJson(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [value] }] }] })));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
