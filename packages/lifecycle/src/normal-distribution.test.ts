import { describe, expect, it } from 'vitest';
import { erfc, normalSurvival } from './normal-distribution.js';

// Reference values from scipy.special.erfc / scipy.stats.norm.sf (SciPy 1.10).
const ERFC: Array<[number, number]> = [
  [-3, 1.999977909503001],
  [-1, 1.842700792949715],
  [-0.3, 1.328626759459127],
  [0, 1],
  [0.1, 0.8875370839817152],
  [0.5, 0.4795001221869535],
  [1, 0.1572992070502852],
  [1.5, 0.03389485352468927],
  [1.999, 0.004698443348629486],
  [2, 0.004677734981047266],
  [2.5, 0.0004069520174449589],
  [3, 2.209049699858544e-5],
  [4, 1.541725790028002e-8],
  [6, 2.151973671249891e-17],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856145e-296],
];

describe('erfc', () => {
  it.each(ERFC)('erfc(%d) matches SciPy to 1e-12 relative', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
  });
  it('is NaN for NaN and 0 far in the tail', () => {
    expect(erfc(Number.NaN)).toBeNaN();
    expect(erfc(40)).toBe(0);
    expect(erfc(-40)).toBe(2);
  });
});

describe('normalSurvival', () => {
  it('matches the standard normal upper tail', () => {
    expect(normalSurvival(0)).toBe(0.5);
    expect(normalSurvival(1.6448536269514722)).toBeCloseTo(0.05, 14);
    expect(normalSurvival(1.959963984540054)).toBeCloseTo(0.025, 14);
    expect(Math.abs(normalSurvival(3) - 0.001349898031630093) / 0.001349898031630093).toBeLessThan(1e-12);
    expect(Math.abs(normalSurvival(5) - 2.866515718791933e-7) / 2.866515718791933e-7).toBeLessThan(1e-12);
    expect(normalSurvival(-1.959963984540054)).toBeCloseTo(0.975, 14);
  });
});
