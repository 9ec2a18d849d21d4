import { ExponentialHistogram } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import { bucketsView } from '../sketch/histogram-view.js';
import { rocAucFromHistograms } from './roc-auc.js';

function acc(values: number[]): HistogramAccumulator {
  const h = new ExponentialHistogram();
  h.recordMany(values);
  const d = h.toData();
  const a = new HistogramAccumulator();
  a.merge({ ...d, min: d.min ?? Infinity, max: d.max ?? -Infinity, positive: bucketsView(d.positive.offset, d.positive.bucketCounts), negative: bucketsView(d.negative.offset, d.negative.bucketCounts) });
  return a;
}

/** Exact Mann–Whitney AUC on raw scores. */
function exactAuc(pos: number[], neg: number[]): number {
  let u = 0;
  for (const p of pos) for (const n of neg) u += p > n ? 1 : p === n ? 0.5 : 0;
  return u / (pos.length * neg.length);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('rocAucFromHistograms', () => {
  it('is 1 for separated scores, 0 for reversed ones and ½ for identical ones', () => {
    expect(rocAucFromHistograms(acc([0.8, 0.9]), acc([0.1, 0.2]))).toBe(1);
    expect(rocAucFromHistograms(acc([0.1, 0.2]), acc([0.8, 0.9]))).toBe(0);
    expect(rocAucFromHistograms(acc([0.5, 0.5]), acc([0.5]))).toBe(0.5);
    expect(rocAucFromHistograms(acc([]), acc([0.5]))).toBeUndefined();
  });

  it('is within the stated tie bound of the exact AUC on overlapping scores', () => {
    const rand = lcg(7);
    const pos = Array.from({ length: 2000 }, () => Math.min(1, Math.max(0, 0.65 + 0.2 * (rand() + rand() + rand() - 1.5))));
    const neg = Array.from({ length: 3000 }, () => Math.min(1, Math.max(0, 0.4 + 0.2 * (rand() + rand() + rand() - 1.5))));
    const approx = rocAucFromHistograms(acc(pos), acc(neg)) as number;
    expect(Math.abs(approx - exactAuc(pos, neg))).toBeLessThan(0.005);
  });

  it('orders negative scores, zero and positive scores correctly', () => {
    const pos = [-0.5, 0, 2];
    const neg = [-2, -1, 0, 1];
    expect(rocAucFromHistograms(acc(pos), acc(neg))).toBeCloseTo(exactAuc(pos, neg), 12);
  });
});
