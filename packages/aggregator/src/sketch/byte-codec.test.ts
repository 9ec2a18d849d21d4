import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, unzigzag } from './byte-codec.js';

const counts = fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5000 }), fc.constant(0), fc.constantFrom(2 ** 31, 2 ** 32 + 5, 2 ** 52 - 1, 2 ** 40)), { minLength: 1, maxLength: 400 });

describe('Rice-coded bucket counts', () => {
  it('round-trip exactly, from zeros to 2^52 − 1 (where zigzag differences are still exact doubles), after other fields and before more', () => {
    fc.assert(
      fc.property(counts, (cs) => {
        const w = new ByteWriter(8);
        w.uvarint(7);
        w.riceDifferences(cs, 3, 3, 3 + cs.length - 1);
        w.uvarint(99);
        const r = new ByteReader(w.finish());
        expect(r.uvarint()).toBe(7);
        const out = new Float64Array(cs.length);
        r.riceSums(out, cs.length);
        expect(Array.from(out)).toEqual(cs);
        expect(r.uvarint()).toBe(99);
        expect(r.done).toBe(true);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('take fewer bytes than varints for small, noisy counts', () => {
    let seed = 1;
    const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const cs = Array.from({ length: 120 }, (_, i) => Math.round(20 * Math.exp(-(((i - 60) / 25) ** 2)) + 4 * random()));
    const rice = new ByteWriter();
    rice.riceDifferences(cs, 0, 0, cs.length - 1);
    const varint = new ByteWriter();
    varint.neighbourDifferences(cs, 0, 0, cs.length - 1);
    expect(rice.length).toBeLessThan(0.7 * varint.length);
  });

  it('reject truncated input and negative counts with a RangeError', () => {
    const w = new ByteWriter();
    w.riceDifferences([5000, 1, 70000, 3], 0, 0, 3);
    const bytes = w.finish();
    expect(() => new ByteReader(bytes, 0, bytes.length - 2).riceSums(new Float64Array(4), 4)).toThrow(RangeError);
    // the first code (k = 2): quotient 0 ("0"), low bits "01" → z = 1, i.e. a count of −1
    expect(() => new ByteReader(new Uint8Array([0b0010_0000])).riceSums(new Float64Array(1), 1)).toThrow(RangeError);
  });
});

describe('varint helpers', () => {
  it('unzigzag inverts the zigzag code below and above 2^31', () => {
    for (const v of [0, -1, 1, -2, 2 ** 30, -(2 ** 30), 2 ** 31, -(2 ** 31) - 7, 2 ** 52, -(2 ** 52)]) expect(unzigzag(v >= 0 ? 2 * v : -2 * v - 1)).toBe(v);
  });

  it('adds neighbour sums into a range, at a coarser scale, and rejects sums above the limit', () => {
    const w = new ByteWriter();
    w.neighbourDifferences([1, 200, 3, 40000], 0, 0, 3);
    const into = new Float64Array(3).fill(1);
    new ByteReader(w.finish()).addNeighbourSums(into, 10, 4, 1, 5, Infinity); // buckets 10..13 → 5, 5, 6, 6
    expect(Array.from(into)).toEqual([202, 40004, 1]);
    expect(() => new ByteReader(w.finish()).addNeighbourSums(new Uint32Array(4), 0, 4, 0, 0, 1000)).toThrow(RangeError);
  });

  it('skips varints, and rejects truncated ones', () => {
    const w = new ByteWriter();
    for (const v of [1, 300, 70000]) w.uvarint(v);
    w.uvarint(5);
    const r = new ByteReader(w.finish());
    r.skipVarints(3);
    expect(r.uvarint()).toBe(5);
    expect(() => new ByteReader(new Uint8Array([0x81, 0x82])).skipVarints(1)).toThrow(RangeError);
  });
});


