import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_SCALE, SUB_BUCKET_TABLE_MAX_SCALE, lowerBoundary, mapToIndex, mapToIndexBySignificand, subBucketTableBytes } from './exponential-mapping.js';

/**
 * The oracle: `mapToIndex` as it was before the sub-bucket tables (commit 79b5f67), kept verbatim — the `Math.log2`
 * shortcut with its guard, else the significand reference.
 */
function mapToIndexBeforeTables(absValue: number, scale: number): number {
  if (scale > 0) {
    const factor = 1 << scale;
    const x = Math.log2(absValue) * factor;
    const up = Math.ceil(x);
    const guard = 1e-12 * factor;
    if (up - x > guard && x - up + 1 > guard) return up - 1;
  }
  return mapToIndexBySignificand(absValue, scale);
}

const view = new DataView(new ArrayBuffer(8));
function fromBits(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}
function bitsOf(value: number): bigint {
  view.setFloat64(0, value);
  return view.getBigUint64(0);
}
/** The double `ulps` steps away from the positive double `value` (through binade edges; never below +0). */
function stepUlps(value: number, ulps: number): number {
  const bits = bitsOf(value) + BigInt(ulps);
  return fromBits(bits < 0n ? 0n : bits);
}

const TABLE_SCALES = Array.from({ length: SUB_BUCKET_TABLE_MAX_SCALE }, (_, i) => i + 1);
const tableScale = fc.integer({ min: 1, max: SUB_BUCKET_TABLE_MAX_SCALE });
/** Octaves that reach the subnormal edge, the top of the range and everything between. */
const octave = fc.oneof(fc.integer({ min: -1075, max: 1024 }), fc.constantFrom(-1075, -1074, -1023, -1022, -1021, -1, 0, 1, 1022, 1023));

function expectSame(value: number, scale: number): void {
  const got = mapToIndex(value, scale);
  const want = mapToIndexBeforeTables(value, scale);
  if (!Object.is(got, want)) expect({ value, scale, got }).toEqual({ value, scale, got: want });
}

describe('mapToIndex with the sub-bucket tables (scales 1 … 10)', () => {
  it('builds a table for every scale 1 … 10 (none fell back to Math.log2) and states its size', () => {
    for (const scale of TABLE_SCALES) {
      mapToIndex(1.5, scale);
      expect(subBucketTableBytes(scale)).toBe(2 ** (scale + 1) * 2 + (2 ** scale + 1) * 8);
    }
    expect(TABLE_SCALES.reduce((sum, s) => sum + subBucketTableBytes(s), 0)).toBe(24_632);
    expect(subBucketTableBytes(0)).toBe(0);
    expect(subBucketTableBytes(SUB_BUCKET_TABLE_MAX_SCALE + 1)).toBe(0);
  });

  it('equals the previous mapping on random doubles of every magnitude (subnormals included)', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }), tableScale, (value, scale) => expectSame(value, scale)),
      { seed: 42, numRuns: 20_000 },
    );
  });

  it('equals the previous mapping on every bit pattern (negative, zero, subnormal, Infinity and NaN included)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), tableScale, (bits, scale) => expectSame(fromBits(bits), scale)),
      { seed: 7, numRuns: 20_000 },
    );
  });

  it('equals the previous mapping next to random bucket boundaries, up to 40 ulps either way', () => {
    fc.assert(
      fc.property(tableScale, octave, fc.nat(), fc.integer({ min: -40, max: 40 }), (scale, q, r, ulps) => {
        const boundary = lowerBoundary(q * 2 ** scale + (r % 2 ** scale), scale);
        if (boundary > 0 && boundary < Infinity) expectSame(stepUlps(boundary, ulps), scale);
      }),
      { seed: 42, numRuns: 20_000 },
    );
  });

  it('equals the previous mapping at every ulp within ±24 of every boundary of an octave, at every scale 1 … 10', () => {
    // 2046 boundaries × 49 doubles × 4 octaves; the threshold scan of the table build covers ±4 ulps
    for (const scale of TABLE_SCALES) {
      for (const q of [-1022, -1, 0, 1023]) {
        for (let j = 0; j < 2 ** scale; j++) {
          const boundary = lowerBoundary(q * 2 ** scale + j, scale);
          for (let ulps = -24; ulps <= 24; ulps++) expectSame(stepUlps(boundary, ulps), scale);
        }
      }
    }
  });

  it('equals the previous mapping at both ends of every slice of the table (m = 1 + t / 2^(scale+1))', () => {
    for (const scale of TABLE_SCALES) {
      const slices = 2 ** (scale + 1);
      for (let t = 0; t < slices; t++) {
        const start = 1 + t / slices;
        for (const v of [start, stepUlps(start, -1), stepUlps(start, 1), start * 2 ** -700, start * 2 ** 900]) expectSame(v, scale);
      }
    }
  });

  it('keeps perfect subsetting next to boundaries: the index at scale s shifted by k is the index at scale s − k', () => {
    fc.assert(
      fc.property(tableScale, octave, fc.nat(), fc.integer({ min: -3, max: 3 }), fc.integer({ min: 1, max: 20 }), (scale, q, r, ulps, k) => {
        const boundary = lowerBoundary(q * 2 ** scale + (r % 2 ** scale), scale);
        if (!(boundary > 0 && boundary < Infinity)) return;
        const value = stepUlps(boundary, ulps);
        const lower = Math.max(MIN_SCALE, scale - k);
        expect(mapToIndex(value, scale) >> (scale - lower)).toBe(mapToIndex(value, lower));
      }),
      { seed: 42, numRuns: 5_000 },
    );
  });
});
