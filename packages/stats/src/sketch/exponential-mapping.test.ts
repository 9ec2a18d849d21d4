import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCALE, MIN_SCALE, ldexp, lowerBoundary, lowerBoundaries, lowerBoundariesInto, mapToIndex, mapToIndexBySignificand, relativeBucketWidth } from './exponential-mapping.js';

/** `value = mantissa · 2^exponent` exactly, with an integer mantissa. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The exact index by arbitrary-precision arithmetic: the `i` with `2^i < value^(2^scale) ≤ 2^(i+1)` for scale ≥ 0,
 * i.e. `ceil(2^scale · log2 value) − 1`; for scale < 0 the scale-0 index shifted right.
 */
function exactIndex(value: number, scale: number): number {
  const { mantissa, exponent } = decompose(value);
  const s = Math.max(scale, 0);
  const power = mantissa ** (1n << BigInt(s)); // value^(2^s) = power · 2^(exponent · 2^s)
  const ceilLog2 = bitLength(power - 1n) + exponent * 2 ** s; // ceil(log2(value^(2^s)))
  const index = ceilLog2 - 1;
  return scale >= 0 ? index : Math.floor(index / 2 ** -scale);
}

const positiveDouble = fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true });

describe('mapToIndex', () => {
  it('puts every exact power of two on the inclusive upper bound of its bucket, at every scale', () => {
    for (let scale = MIN_SCALE; scale <= MAX_SCALE; scale++) {
      for (let k = -1074; k <= 1023; k++) {
        const expected = scale > 0 ? k * 2 ** scale - 1 : Math.floor((k - 1) / 2 ** -scale);
        const index = mapToIndex(2 ** k, scale);
        if (index !== expected) expect({ scale, k, index }).toEqual({ scale, k, index: expected });
      }
    }
  });

  it('matches documented examples', () => {
    expect(mapToIndex(1, 0)).toBe(-1);
    expect(mapToIndex(2, 0)).toBe(0);
    expect(mapToIndex(3, 0)).toBe(1);
    expect(mapToIndex(4, 0)).toBe(1);
    expect(mapToIndex(1, 3)).toBe(-1);
    expect(mapToIndex(1.0000001, 3)).toBe(0);
    expect(mapToIndex(2, 3)).toBe(7);
    expect(mapToIndex(4, -1)).toBe(0); // (1, 4]
    expect(mapToIndex(5, -1)).toBe(1); // (4, 16]
    expect(mapToIndex(0.5, -1)).toBe(-1); // (1/4, 1]
    expect(mapToIndex(Number.MIN_VALUE, 0)).toBe(-1075);
    expect(mapToIndex(Number.MAX_VALUE, 0)).toBe(1023);
    expect(mapToIndex(Number.MAX_VALUE, MAX_SCALE)).toBe(1024 * 2 ** 20 - 1);
    expect(mapToIndex(Number.MIN_VALUE, MAX_SCALE)).toBe(-1074 * 2 ** 20 - 1);
    expect(mapToIndex(Number.MAX_VALUE, MIN_SCALE)).toBe(0);
    expect(mapToIndex(Number.MIN_VALUE, MIN_SCALE)).toBe(-2);
  });

  it('equals the exact index (arbitrary precision) for scales −10 … 6, subnormals included', () => {
    fc.assert(
      fc.property(positiveDouble, fc.integer({ min: MIN_SCALE, max: 6 }), (value, scale) => {
        expect(mapToIndex(value, scale)).toBe(exactIndex(value, scale));
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('is exact for subnormal values at positive scales', () => {
    for (const value of [Number.MIN_VALUE, 3 * Number.MIN_VALUE, 2 ** -1030, 1.5 * 2 ** -1060, 2 ** -1022 - Number.MIN_VALUE]) {
      for (const scale of [1, 2, 5]) expect(mapToIndex(value, scale)).toBe(exactIndex(value, scale));
    }
  });

  it('keeps perfect subsetting: the index at scale s shifted by k is the index at scale s − k', () => {
    fc.assert(
      fc.property(positiveDouble, fc.integer({ min: MIN_SCALE, max: MAX_SCALE }), fc.integer({ min: 0, max: 30 }), (value, scale, k) => {
        const lower = Math.max(MIN_SCALE, scale - k);
        expect(mapToIndex(value, scale) >> (scale - lower)).toBe(mapToIndex(value, lower));
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('takes the Math.log2 shortcut only when it agrees with the significand reference, also next to bucket boundaries', () => {
    const view = new DataView(new ArrayBuffer(8));
    const step = (v: number, ulps: bigint): number => {
      view.setFloat64(0, v);
      view.setBigUint64(0, view.getBigUint64(0) + ulps);
      return view.getFloat64(0);
    };
    fc.assert(
      fc.property(positiveDouble, fc.integer({ min: 1, max: MAX_SCALE }), (value, scale) => {
        expect(mapToIndex(value, scale)).toBe(mapToIndexBySignificand(value, scale));
      }),
      { seed: 42, numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_SCALE }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 2 ** 20 - 1 }), (scale, octave, r) => {
        const boundary = lowerBoundary(octave * 2 ** scale + (r % 2 ** scale), scale);
        for (const ulps of [-2n, -1n, 0n, 1n, 2n]) {
          const v = step(boundary, ulps);
          expect(mapToIndex(v, scale)).toBe(mapToIndexBySignificand(v, scale));
        }
      }),
      { seed: 42, numRuns: 5000 },
    );
  });

  it('maps into a bucket whose boundaries enclose the value (scale 20, within 1e-15 relative)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.integer({ min: 7, max: MAX_SCALE }), (value, scale) => {
        const i = mapToIndex(value, scale);
        expect(lowerBoundary(i, scale)).toBeLessThanOrEqual(value * (1 + 1e-15));
        expect(value).toBeLessThanOrEqual(lowerBoundary(i + 1, scale) * (1 + 1e-15));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });
});

describe('lowerBoundary', () => {
  it('is exact at powers of two and at scale ≤ 0', () => {
    expect(lowerBoundary(0, 5)).toBe(1);
    expect(lowerBoundary(32, 5)).toBe(2);
    expect(lowerBoundary(-32, 5)).toBe(0.5);
    expect(lowerBoundary(3, 0)).toBe(8);
    expect(lowerBoundary(-2, -10)).toBe(0); // 2^-2048 underflows
    expect(lowerBoundary(1, -10)).toBe(Infinity);
    expect(lowerBoundary(-1075, 0)).toBe(0); // 2^-1075 rounds to 0
    expect(lowerBoundary(-1074, 0)).toBe(Number.MIN_VALUE);
    expect(lowerBoundary(1024 * 2 ** 20, 20)).toBe(Infinity);
  });

  it('gives base^i', () => {
    expect(lowerBoundary(1, 1)).toBeCloseTo(Math.SQRT2, 15);
    expect(lowerBoundary(3, 3)).toBeCloseTo(2 ** (3 / 8), 15);
    expect(lowerBoundary(-3, 3)).toBeCloseTo(2 ** (-3 / 8), 15);
  });

  it('ldexp handles exponents beyond the normal range', () => {
    expect(ldexp(1, -1074)).toBe(Number.MIN_VALUE);
    expect(ldexp(1.5, 1023)).toBe(1.5 * 2 ** 1023);
    expect(ldexp(1, 1024)).toBe(Infinity);
    expect(ldexp(2 ** 600, -1500)).toBe(2 ** -900);
  });

  it('relativeBucketWidth is base − 1', () => {
    expect(relativeBucketWidth(0)).toBe(1);
    expect(relativeBucketWidth(1)).toBeCloseTo(Math.SQRT2 - 1, 15);
    expect(relativeBucketWidth(-1)).toBe(3);
  });
});

describe('lowerBoundaries', () => {
  it('equals lowerBoundary index by index at every scale, across the whole double range', () => {
    for (let scale = -10; scale <= 20; scale++) {
      const span = scale > 0 ? 1100 * 2 ** scale : Math.ceil(1100 / 2 ** -scale);
      for (const start of [-span, -span / 2, -3 * 2 ** Math.max(scale, 0) - 1, -1, 0, 7, span / 3, span - 40].map(Math.floor)) {
        const got = lowerBoundaries(start, 40, scale);
        const into = lowerBoundariesInto(new Float64Array(64).fill(NaN), start, 40, scale);
        for (let j = 0; j <= 40; j++) {
          expect(got[j], `scale ${scale} index ${start + j}`).toBe(lowerBoundary(start + j, scale));
          expect(into[j], `scale ${scale} index ${start + j} (into)`).toBe(got[j]);
        }
        expect(Number.isNaN(into[41])).toBe(true);
      }
    }
  });
});
