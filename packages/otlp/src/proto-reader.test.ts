import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { decodeUtf8, ProtoReader } from './proto-reader.js';
import { ProtoWriter } from './proto-writer.js';

const reader = (bytes: number[]): ProtoReader => new ProtoReader(new Uint8Array(bytes));

describe('ProtoReader', () => {
  it('reads varints of 1 to 10 bytes as uint64 numbers, int64 and sint32', () => {
    expect(reader([0x96, 0x01]).varintNumber(2)).toBe(150);
    const max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(reader(max).varintNumber(10)).toBe(2 ** 64);
    expect(reader(max).int64Number(10)).toBe(-1);
    expect(reader(max).int64Exact(10)).toBe(-1);
    expect(reader(max).varint32(10)).toBe(-1);
    expect(reader([0x03]).sint32(1)).toBe(-2);
    expect(reader([0xfe, 0xff, 0xff, 0xff, 0x0f]).sint32(5)).toBe(2147483647);
  });

  it('reads int64 exactly as a number or, beyond 2^53, a bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const bytes = new ProtoWriter().int64(v).finish();
        const got = new ProtoReader(bytes).int64Exact(bytes.length);
        const safe = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(got).toBe(safe ? Number(v) : v);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('round-trips fixed64, sfixed64, double and fixed32', () => {
    const bytes = new ProtoWriter().fixed64(2n ** 64n - 1n).sfixed64Number(-(2 ** 40)).double(-0.1).fixed32(0xffffffff).fixed64Number(2 ** 52 + 1).finish();
    const r = new ProtoReader(bytes);
    expect(r.fixed64Big(bytes.length)).toBe(2n ** 64n - 1n);
    expect(r.sfixed64Number(bytes.length)).toBe(-(2 ** 40));
    expect(r.double(bytes.length)).toBe(-0.1);
    expect(r.fixed32(bytes.length)).toBe(0xffffffff);
    expect(r.fixed64Number(bytes.length)).toBe(2 ** 52 + 1);
    expect(r.pos).toBe(bytes.length);
  });

  it('never reads past the end it is given', () => {
    const r = reader([0x08, 0x96, 0x01]);
    expect(() => r.fixed64Big(3)).toThrow(OtlpDecodeError);
    expect(() => reader([0x96, 0x01]).varintNumber(1)).toThrow('truncated varint at offset 0');
  });
});

describe('decodeUtf8', () => {
  const reference = new TextDecoder('utf-8', { ignoreBOM: true });

  it('equals TextDecoder for any bytes, cached or not (invalid sequences become U+FFFD)', () => {
    const short = fc.uint8Array({ maxLength: 60 });
    const smallAlphabet = fc.array(fc.constantFrom(0x61, 0x62, 0x2e, 0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0xff), { maxLength: 12 }).map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(fc.array(fc.oneof(short, smallAlphabet), { minLength: 1, maxLength: 30 }), (arrays) => {
        // decode every array twice and interleaved, so cache hits, misses and slot replacements all occur
        for (const pass of [0, 1]) {
          for (const a of pass === 0 ? arrays : [...arrays].reverse()) {
            const padded = new Uint8Array(a.length + 4);
            padded.set(a, 2);
            expect(decodeUtf8(padded, 2, 2 + a.length)).toBe(reference.decode(a));
          }
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('returns the same string object for repeated bytes', () => {
    const bytes = new TextEncoder().encode('ml.model.name');
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe('ml.model.name');
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(decodeUtf8(bytes.slice(), 0, bytes.length));
  });
});
