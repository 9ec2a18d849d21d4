import { describe, expect, it } from 'vitest';
import { twoProportionGreater, wilsonInterval } from './proportion-tests.js';

describe('twoProportionGreater', () => {
  it('matches the pooled z-test (reference computed with scipy.stats.norm)', () => {
    const a = twoProportionGreater(30, 1000, 15, 1000);
    expect(a.z).toBeCloseTo(2.261656365159503, 12);
    expect(a.pValue).toBeCloseTo(0.011859321316095729, 12);
    const b = twoProportionGreater(5, 200, 7, 250);
    expect(b.z).toBeCloseTo(-0.19628397097133007, 12);
    expect(b.pValue).toBeCloseTo(0.5778060466633981, 12);
  });

  it('gives p = 1 when there is no variance', () => {
    expect(twoProportionGreater(0, 100, 0, 100)).toEqual({ z: 0, pValue: 1 });
    expect(twoProportionGreater(10, 10, 5, 5)).toEqual({ z: 0, pValue: 1 });
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportionGreater(1, 0, 0, 10)).toThrow('at least 1 trial in a');
    expect(() => twoProportionGreater(11, 10, 0, 10)).toThrow('0 ≤ successes ≤ trials in a');
  });
});

describe('wilsonInterval', () => {
  it('matches the Wilson score interval', () => {
    const { low, high } = wilsonInterval(180, 200, 1.96);
    expect(low).toBeCloseTo(0.8505931364369145, 12);
    expect(high).toBeCloseTo(0.9343300588284289, 12);
    const zero = wilsonInterval(0, 10, 1.96);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775401687666165, 12);
  });
  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(1, 0, 1.96)).toThrow('at least 1 trial');
  });
});
