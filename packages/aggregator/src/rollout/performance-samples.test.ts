import { describe, expect, it } from 'vitest';
import { effectiveSamples } from './performance-samples.js';

describe('effective samples of classification metrics', () => {
  it('counts the rows each binary metric is a proportion of', () => {
    const cells = [
      ['1', '1', 20],
      ['0', '1', 10],
      ['1', '0', 30],
      ['0', '0', 340],
    ] as const;
    expect(Object.fromEntries(effectiveSamples(cells, '1'))).toEqual({ accuracy: 400, precision: 30, recall: 50, f1: 40, roc_auc: 50 });
  });

  it('takes the noisiest class for macro averages, and nothing without labels', () => {
    const cells = [
      ['a', 'a', 50],
      ['b', 'b', 5],
      ['a', 'b', 5],
      ['c', 'c', 40],
    ] as const;
    // precision: a 50, b 10, c 40; recall: a 55, b 5, c 40
    expect(Object.fromEntries(effectiveSamples(cells, undefined))).toEqual({ accuracy: 100, precision: 10, recall: 5, f1: 7.5 });
    expect(effectiveSamples([], '1').size).toBe(0);
  });
});
