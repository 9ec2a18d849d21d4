import { describe, expect, it } from 'vitest';
import { mmdTest } from './mmd.js';
import { seededRandom } from './seeded-random.js';

function gaussianVectors(n: number, d: number, shift: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: n }, () => Array.from({ length: d }, () => normal() + shift));
}

describe('mmdTest', () => {
  const a = gaussianVectors(40, 5, 0, 1);
  const b = gaussianVectors(40, 5, 0, 2);
  const shifted = gaussianVectors(40, 5, 1.5, 3);

  it('is deterministic for a seed, and the seed changes the permutation stream', () => {
    expect(mmdTest(a, b, { seed: 9 })).toEqual(mmdTest(a, b, { seed: 9 }));
    const pValues = new Set([1, 2, 3, 4, 5].map((seed) => mmdTest(a, b, { seed, permutations: 200 }).pValue));
    expect(pValues.size).toBeGreaterThan(1);
  });

  it('the p-value has resolution 1/(B + 1)', () => {
    const r = mmdTest(a, shifted, { permutations: 99 });
    expect(r.pValue).toBe(0.01);
    expect(r.drifted).toBe(true);
    expect(r.statistic).toBeGreaterThan(0);
  });

  it('same distribution: not drifted, statistic near 0', () => {
    const r = mmdTest(a, b);
    expect(r.drifted).toBe(false);
    expect(Math.abs(r.statistic)).toBeLessThan(0.05);
  });
});
