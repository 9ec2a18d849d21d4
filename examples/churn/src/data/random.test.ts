import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed } from './random.js';

const draws = (n: number, f: () => number): number[] => Array.from({ length: n }, f);
const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
};

describe('createRandom', () => {
  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const sa = draws(100, () => a.uniform());
    expect(draws(100, () => b.uniform())).toEqual(sa);
    expect(draws(100, () => c.uniform())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = createRandom(1);
    const xs = draws(20_000, () => r.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
    expect(std(xs) ** 2).toBeCloseTo(1 / 12, 2);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const r = createRandom(2);
    const xs = draws(20_000, () => r.normal(10, 3));
    expect(mean(xs)).toBeCloseTo(10, 1);
    expect(std(xs)).toBeCloseTo(3, 1);
    // about 68.3% within one standard deviation
    const within = xs.filter((x) => Math.abs(x - 10) < 3).length / xs.length;
    expect(within).toBeGreaterThan(0.67);
    expect(within).toBeLessThan(0.7);
  });

  it('draws exponentials with the requested mean and Bernoulli draws with the requested p', () => {
    const r = createRandom(3);
    expect(mean(draws(20_000, () => r.exponential(16)))).toBeGreaterThan(15.5);
    expect(mean(draws(20_000, () => r.exponential(16)))).toBeLessThan(16.5);
    expect(mean(draws(20_000, () => r.bernoulli(0.25)))).toBeCloseTo(0.25, 2);
  });

  it('picks values in proportion to their weights', () => {
    const r = createRandom(4);
    const picks = draws(20_000, () => (r.pick(['a', 'b', 'c'], [1, 2, 7]) === 'c' ? 1 : 0));
    expect(mean(picks)).toBeCloseTo(0.7, 2);
    expect(() => r.pick(['a'], [1, 2])).toThrow(/as many weights as values/);
    expect(() => r.pick(['a', 'b'], [0, 0])).toThrow(/positive total weight/);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRandom(Number.NaN)).toThrow(/seed must be a finite number/);
  });
});

describe('deriveSeed', () => {
  it('gives distinct, stable seeds per stream', () => {
    expect(deriveSeed(42, 1)).toBe(deriveSeed(42, 1));
    expect(deriveSeed(42, 1)).not.toBe(deriveSeed(42, 2));
    expect(deriveSeed(42, 1)).not.toBe(deriveSeed(43, 1));
    const a = createRandom(deriveSeed(42, 1));
    const b = createRandom(deriveSeed(42, 2));
    expect(draws(10, () => a.uniform())).not.toEqual(draws(10, () => b.uniform()));
  });
});
