import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, bonferroni } from './corrections.js';

describe('p-value corrections', () => {
  it('handle empty input and keep input order', () => {
    expect(bonferroni([])).toEqual([]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.04, 0.01])).toEqual([0.04, 0.02]);
    expect(bonferroni([0.2, 0.6])).toEqual([0.4, 1]);
  });
  it('BH is monotone in the raw p-values and never below them', () => {
    const p = [0.3, 0.001, 0.02, 0.02, 0.9, 0.049];
    const q = benjaminiHochberg(p);
    p.forEach((pi, i) => expect(q[i]).toBeGreaterThanOrEqual(pi));
    const order = p.map((_, i) => i).sort((x, y) => (p[x] as number) - (p[y] as number));
    for (let k = 1; k < order.length; k++) expect(q[order[k] as number]).toBeGreaterThanOrEqual(q[order[k - 1] as number] as number);
  });
  it('rejects NaN and values outside [0, 1]', () => {
    expect(() => bonferroni([0.1, NaN])).toThrow('bonferroni: p-value at index 1 is NaN');
    expect(() => benjaminiHochberg([1.2])).toThrow('benjaminiHochberg: p-value at index 0 is outside [0, 1]: 1.2');
  });
});
