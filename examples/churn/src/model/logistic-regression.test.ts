import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, logisticProbability, sigmoid } from './logistic-regression.js';

describe('fitLogisticRegression', () => {
  it('recovers the hand-computed maximum-likelihood fit', () => {
    // x = 0: 1 churner in 4 → b = logit(1/4) = −ln 3; x = 1: 3 in 4 → b + w = logit(3/4) = ln 3, so w = 2 ln 3
    const x = [[0], [0], [0], [0], [1], [1], [1], [1]];
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const fit = fitLogisticRegression(x, y, { l2: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(-Math.log(3), 8);
    expect(fit.weights[0]).toBeCloseTo(2 * Math.log(3), 8);
    expect(logisticProbability(fit.intercept, fit.weights, [1])).toBeCloseTo(0.75, 8);
    // each group has log-likelihood ln ¼ + 3 ln ¾ (one row on the unlikely side, three on the likely), so J = −2(ln ¼ + 3 ln ¾) / 8
    expect(fit.loss).toBeCloseTo(-(2 * (Math.log(0.25) + 3 * Math.log(0.75))) / 8, 10);
  });

  it('fits the log-odds of the base rate with no features', () => {
    const fit = fitLogisticRegression([[], [], [], [], []], [1, 1, 0, 0, 0], { l2: 0 });
    expect(fit.weights).toEqual([]);
    expect(fit.intercept).toBeCloseTo(Math.log(2 / 3), 10);
  });

  it('shrinks weights as the L2 penalty grows', () => {
    const x = [[-1], [-0.5], [0], [0.5], [1], [1.5], [-1.5], [0.2]];
    const y = [0, 0, 1, 1, 1, 1, 0, 0];
    const w = [0, 0.1, 1].map((l2) => Math.abs(fitLogisticRegression(x, y, { l2 }).weights[0] as number));
    expect(w[0]).toBeGreaterThan(w[1] as number);
    expect(w[1]).toBeGreaterThan(w[2] as number);
  });

  it('stays finite on separable data (the weight grows, not NaN)', () => {
    const fit = fitLogisticRegression([[-2], [-1], [1], [2]], [0, 0, 1, 1], { l2: 0, maxIterations: 30 });
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(5);
    const regularised = fitLogisticRegression([[-2], [-1], [1], [2]], [0, 0, 1, 1], { l2: 0.1 });
    expect(regularised.converged).toBe(true);
  });

  it('is deterministic', () => {
    const x = [[1, 2], [2, 1], [0, 0], [3, 3], [1, 0]];
    const y = [1, 0, 0, 1, 1];
    expect(fitLogisticRegression(x, y)).toEqual(fitLogisticRegression(x, y));
  });

  it('rejects bad input with a clear message', () => {
    expect(() => fitLogisticRegression([], [])).toThrow('fitLogisticRegression requires at least 1 row');
    expect(() => fitLogisticRegression([[1]], [1, 0])).toThrow(/1 rows but 2 labels/);
    expect(() => fitLogisticRegression([[1], [1, 2]], [1, 0])).toThrow(/row 1 has 2 values, expected 1/);
    expect(() => fitLogisticRegression([[1]], [2])).toThrow(/label 0 must be 0 or 1/);
    expect(() => fitLogisticRegression([[1]], [1], { l2: -1 })).toThrow(/l2 must be ≥ 0/);
  });
});

describe('sigmoid / logisticProbability', () => {
  it('is stable for large arguments and symmetric', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
  });

  it('checks the row width', () => {
    expect(() => logisticProbability(0, [1, 2], [1])).toThrow(/row has 1 values, expected 2/);
  });
});
