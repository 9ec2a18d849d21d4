import { describe, expect, it } from 'vitest';
import { classificationMetrics, positiveClassOf } from './classification-metrics.js';

describe('classificationMetrics', () => {
  it('matches hand-computed binary metrics for the positive class', () => {
    // TP = 40, FN = 10, FP = 20, TN = 30
    const cells = [
      ['1', '1', 40],
      ['1', '0', 10],
      ['0', '1', 20],
      ['0', '0', 30],
    ] as const;
    const m = classificationMetrics(cells, '1');
    expect(m?.accuracy).toBeCloseTo(70 / 100, 12);
    expect(m?.precision).toBeCloseTo(40 / 60, 12);
    expect(m?.recall).toBeCloseTo(40 / 50, 12);
    const p = 40 / 60;
    const r = 40 / 50;
    expect(m?.f1).toBeCloseTo((2 * p * r) / (p + r), 12);
  });

  it('macro-averages without a positive class', () => {
    const cells = [
      ['a', 'a', 8],
      ['a', 'b', 2],
      ['b', 'b', 5],
      ['c', 'a', 5],
    ] as const;
    const m = classificationMetrics(cells, undefined);
    expect(m?.accuracy).toBeCloseTo(13 / 20, 12);
    // a: P = 8/13, R = 8/10; b: P = 5/7, R = 5/5; c: P undefined, R = 0
    expect(m?.precision).toBeCloseTo((8 / 13 + 5 / 7) / 2, 12);
    expect(m?.recall).toBeCloseTo((8 / 10 + 1 + 0) / 3, 12);
    expect(classificationMetrics([], undefined)).toBeUndefined();
  });

  it('picks the configured positive class, else 1 or true', () => {
    expect(positiveClassOf(['0', '1'], undefined)).toBe('1');
    expect(positiveClassOf(['false', 'true'], undefined)).toBe('true');
    expect(positiveClassOf(['no', 'yes'], undefined)).toBeUndefined();
    expect(positiveClassOf(['no', 'yes'], 'yes')).toBe('yes');
  });
});
