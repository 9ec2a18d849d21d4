import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy, majorityBaselineAccuracy, rocAuc } from './metrics.js';

/** P(score of a positive > score of a negative) + ½ P(tie), by brute force over all pairs. */
function pairwiseAuc(labels: readonly number[], scores: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  labels.forEach((yi, i) => {
    if (yi !== 1) return;
    labels.forEach((yj, j) => {
      if (yj !== 0) return;
      pairs++;
      const si = scores[i] as number;
      const sj = scores[j] as number;
      wins += si > sj ? 1 : si === sj ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

describe('accuracy', () => {
  it('thresholds scores at 0.5 by default', () => {
    expect(accuracy([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.5])).toBe(0.5);
    expect(accuracy([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.5], 0.3)).toBe(0.75);
  });

  it('rejects bad input', () => {
    expect(() => accuracy([], [])).toThrow('accuracy requires at least 1 data point');
    expect(() => accuracy([1], [0.1, 0.2])).toThrow(/1 labels but 2 scores/);
    expect(() => accuracy([2], [0.1])).toThrow(/label 0 must be 0 or 1/);
    expect(() => accuracy([1], [Number.NaN])).toThrow(/score 0 is NaN/);
  });
});

describe('majorityBaselineAccuracy', () => {
  it('is the share of the more frequent label', () => {
    expect(majorityBaselineAccuracy([1, 0, 0, 0])).toBe(0.75);
    expect(majorityBaselineAccuracy([1, 1, 1, 0])).toBe(0.75);
    expect(() => majorityBaselineAccuracy([])).toThrow(/at least 1 data point/);
  });
});

describe('rocAuc', () => {
  it('matches hand-computed values', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    // pairs (pos, neg): (0.35, 0.1) win, (0.35, 0.4) loss, (0.8, 0.1) win, (0.8, 0.4) win → 3/4
    expect(rocAuc([0, 1, 0, 1], [0.1, 0.35, 0.4, 0.8])).toBe(0.75);
  });

  it('averages the ranks of tied scores', () => {
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    // positive 0.5 ties with negative 0.5 (½) and beats 0.1 (1); positive 0.9 beats both (2) → 3.5 / 4
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.9])).toBe(0.875);
  });

  it('equals the pairwise probability on random data with ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 6 })), { minLength: 2, maxLength: 60 }),
        (pairs) => {
          const labels = pairs.map(([y]) => y);
          const scores = pairs.map(([, s]) => s / 6);
          if (!labels.includes(0) || !labels.includes(1)) return;
          expect(rocAuc(labels, scores)).toBeCloseTo(pairwiseAuc(labels, scores), 12);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('handles infinite scores', () => {
    expect(rocAuc([0, 1, 0, 1], [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY])).toBe(1);
  });

  it('needs both labels', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow('rocAuc requires at least one positive and one negative label');
    expect(() => rocAuc([], [])).toThrow('rocAuc requires at least 1 data point');
  });
});
