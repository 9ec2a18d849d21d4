import { describe, expect, it } from 'vitest';
import { encodeRow, encodedColumnNames, encodedWidth, fitEncoder, validateEncoder } from './encoder.js';

const rows = [
  { age: 10, plan: 'basic', flag: 0 },
  { age: 20, plan: 'pro', flag: 1 },
  { age: 30, plan: 'basic', flag: 0 },
  { age: 40, plan: 'team', flag: 1 },
];
const spec = { numeric: ['age'], categorical: ['plan', 'flag'] };

describe('fitEncoder / encodeRow', () => {
  const encoder = fitEncoder(rows, spec);

  it('learns mean, population std and sorted levels', () => {
    expect(encoder.numeric).toEqual([{ name: 'age', mean: 25, std: Math.sqrt(125) }]);
    expect(encoder.categorical).toEqual([
      { name: 'plan', levels: ['basic', 'pro', 'team'] },
      { name: 'flag', levels: ['0', '1'] },
    ]);
    expect(encodedColumnNames(encoder)).toEqual(['age', 'plan=basic', 'plan=pro', 'plan=team', 'flag=0', 'flag=1']);
    expect(encodedWidth(encoder)).toBe(6);
  });

  it('standardises numbers and one-hot encodes categories', () => {
    expect(Array.from(encodeRow(encoder, { age: 35, plan: 'pro', flag: 1 }))).toEqual([10 / Math.sqrt(125), 0, 1, 0, 0, 1]);
    // 0 and "0" are the same category
    expect(Array.from(encodeRow(encoder, { age: 25, plan: 'team', flag: '0' }))).toEqual([0, 0, 0, 1, 1, 0]);
  });

  it('encodes unseen categories as all zeros', () => {
    expect(Array.from(encodeRow(encoder, { age: 25, plan: 'enterprise', flag: 7 }))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('imputes missing or unusable values with the training mean / no category', () => {
    for (const age of [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, '30']) {
      expect(Array.from(encodeRow(encoder, { age, plan: null }))).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('only centres a constant column and skips missing values when fitting', () => {
    const e = fitEncoder([{ x: 3 }, { x: 3 }, { x: null }], { numeric: ['x'], categorical: [] });
    expect(e.numeric[0]).toEqual({ name: 'x', mean: 3, std: 1 });
  });

  it('throws on no rows or a numeric column without values', () => {
    expect(() => fitEncoder([], spec)).toThrow(/at least 1 row/);
    expect(() => fitEncoder([{ age: 'x' }], spec)).toThrow(/"age" has no finite values/);
  });
});

describe('validateEncoder', () => {
  it('accepts a fitted encoder after a JSON round trip', () => {
    const encoder = fitEncoder(rows, spec);
    expect(validateEncoder(JSON.parse(JSON.stringify(encoder)))).toEqual(encoder);
  });

  it('names the bad field', () => {
    expect(() => validateEncoder(null)).toThrow('encoder must be an object');
    expect(() => validateEncoder({ numeric: [], categorical: {} })).toThrow('encoder.categorical must be an array');
    expect(() => validateEncoder({ numeric: [{ name: 'a', mean: 0, std: 0 }], categorical: [] })).toThrow('encoder.numeric[0].std must be a positive number');
    expect(() => validateEncoder({ numeric: [], categorical: [{ name: 'c', levels: [1] }] })).toThrow('encoder.categorical[0].levels must be an array of strings');
  });
});
