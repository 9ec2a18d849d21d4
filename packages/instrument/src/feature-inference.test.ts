import { describe, expect, it } from 'vitest';
import { inferFeatureType, inferSchema } from './feature-inference.js';

describe('inferFeatureType / inferSchema', () => {
  it('maps JS values to feature types', () => {
    expect(inferFeatureType(1.5)).toBe('numeric');
    expect(inferFeatureType(2n)).toBe('numeric');
    expect(inferFeatureType(true)).toBe('boolean');
    expect(inferFeatureType('gold')).toBe('categorical');
    expect(inferFeatureType('New York')).toBe('categorical');
    expect(inferFeatureType('this is clearly a sentence of free text, not a category')).toBe('text');
    expect(inferFeatureType([0.1, 0.2])).toBe('embedding');
    expect(inferFeatureType(new Float32Array(3))).toBe('embedding');
    expect([inferFeatureType(null), inferFeatureType({}), inferFeatureType([]), inferFeatureType(['a']), inferFeatureType(new Date())]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('takes the first informative value per key and skips id', () => {
    expect(inferSchema([{ id: 1, a: null }, { a: 'x', b: 2 }, { a: 3 }])).toEqual({ a: 'categorical', b: 'numeric' });
  });
});
