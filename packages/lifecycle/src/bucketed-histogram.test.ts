import { describe, expect, it } from 'vitest';
import { histogramQuantile, histogramTotal, mannWhitneyGreater } from './bucketed-histogram.js';
import { normalSurvival } from './normal-distribution.js';

const bounds = [0.1, 0.2, 0.5];

describe('histogramQuantile', () => {
  const h = { bounds, counts: [10, 20, 60, 10] };
  it('interpolates within the bucket like Prometheus histogram_quantile', () => {
    expect(histogramTotal(h)).toBe(100);
    expect(histogramQuantile(h, 0.05)).toBeCloseTo(0.05, 12);
    expect(histogramQuantile(h, 0.5)).toBeCloseTo(0.3, 12);
    expect(histogramQuantile(h, 0.95)).toBe(0.5); // in the +Inf bucket: the highest finite bound
  });
  it('is NaN when empty and rejects bad input', () => {
    expect(histogramQuantile({ bounds, counts: [0, 0, 0, 0] }, 0.5)).toBeNaN();
    expect(() => histogramQuantile({ bounds, counts: [1, 2, 3] }, 0.5)).toThrow('needs bounds.length + 1 counts');
    expect(() => histogramQuantile({ bounds: [0.2, 0.1], counts: [1, 2, 3] }, 0.5)).toThrow('strictly increasing');
    expect(() => histogramQuantile(h, 1)).toThrow(RangeError);
  });
});

describe('mannWhitneyGreater', () => {
  // Reference: scipy.stats.mannwhitneyu(x, y, alternative='greater', method='asymptotic') on the
  // bucket indices repeated by their counts (values in one bucket are ties).
  it.each([
    [[5, 20, 40, 30, 5], [10, 40, 30, 18, 2], 6390, 0.00019436607656717484],
    [[0, 3, 1, 0, 0], [2, 2, 0, 0, 0], 13, 0.06680720126885807],
    [[100, 0, 0, 0, 0], [0, 0, 50, 0, 0], 0, 1],
  ])('x=%j y=%j → U=%d, p=%d', (x, y, u, p) => {
    const result = mannWhitneyGreater({ bounds: [0.01, 0.05, 0.1, 0.5], counts: x }, { bounds: [0.01, 0.05, 0.1, 0.5], counts: y }, normalSurvival);
    expect(result.u).toBe(u);
    expect(Math.abs(result.pValue - p)).toBeLessThan(1e-12 + 1e-10 * p);
  });

  it('gives p = 1 when everything ties, and rejects mismatched or empty input', () => {
    const same = { bounds, counts: [0, 5, 0, 0] };
    expect(mannWhitneyGreater(same, same, normalSurvival).pValue).toBe(1);
    expect(() => mannWhitneyGreater(same, { bounds: [0.1, 0.2, 0.6], counts: [0, 5, 0, 0] }, normalSurvival)).toThrow('same bounds');
    expect(() => mannWhitneyGreater(same, { bounds, counts: [0, 0, 0, 0] }, normalSurvival)).toThrow('at least 1 value');
  });
});
