import { describe, expect, it } from 'vitest';
import { chooseDriftMethod, detectDrift, DRIFT_TESTS } from './detect-drift.js';
import { isDrifted } from './drift-test.js';
import { ksTest } from './ks.js';

const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('chooseDriftMethod (Evidently defaults)', () => {
  it.each([
    [{ kind: 'numeric', referenceCount: 1000, uniqueCount: 6 }, 'ks'],
    [{ kind: 'numeric', referenceCount: 1000, uniqueCount: 5 }, 'chisquare'],
    [{ kind: 'numeric', referenceCount: 1000, uniqueCount: 3 }, 'chisquare'],
    [{ kind: 'numeric', referenceCount: 1000, uniqueCount: 2 }, 'z'],
    [{ kind: 'numeric', referenceCount: 10, uniqueCount: 1 }, 'z'],
    [{ kind: 'categorical', referenceCount: 1000, uniqueCount: 40 }, 'chisquare'],
    [{ kind: 'categorical', referenceCount: 1000, uniqueCount: 2 }, 'z'],
    [{ kind: 'numeric', referenceCount: 1001, uniqueCount: 6 }, 'wasserstein'],
    [{ kind: 'numeric', referenceCount: 1001, uniqueCount: 5 }, 'jensenshannon'],
    [{ kind: 'categorical', referenceCount: 5000, uniqueCount: 2 }, 'jensenshannon'],
    [{ kind: 'vectors', referenceCount: 10, uniqueCount: 10 }, 'mmd'],
  ] as const)('%o → %s', (input, method) => {
    expect(chooseDriftMethod(input)).toBe(method);
  });

  it('cut-offs and the method can be overridden', () => {
    expect(chooseDriftMethod({ kind: 'numeric', referenceCount: 500, uniqueCount: 100 }, { largeReferenceRows: 100 })).toBe('wasserstein');
    expect(chooseDriftMethod({ kind: 'numeric', referenceCount: 500, uniqueCount: 8 }, { maxFewValues: 10 })).toBe('chisquare');
    expect(chooseDriftMethod({ kind: 'numeric', referenceCount: 500, uniqueCount: 8 }, { method: 'psi' })).toBe('psi');
  });
});

describe('detectDrift', () => {
  const ref = range(200, (i) => Math.sin(i) * 3);
  const cur = range(150, (i) => Math.sin(i * 1.3) * 3 + 0.8);

  it('runs KS on small numeric references and applies p ≤ 0.05', () => {
    const r = detectDrift(ref, cur);
    expect(r).toEqual(ksTest(ref, cur));
    expect(r.drifted).toBe(true);
  });

  it('method and thresholds can be overridden', () => {
    expect(detectDrift(ref, cur, { method: 'psi' })).toMatchObject({ method: 'psi', threshold: 0.1 });
    expect(detectDrift(ref, cur, { method: 'psi', threshold: 50 })).toMatchObject({ method: 'psi', threshold: 50, drifted: false });
    expect(detectDrift(ref, cur, { thresholds: { ks: 1e-300 } })).toMatchObject({ method: 'ks', threshold: 1e-300, drifted: false });
    expect(detectDrift(ref, cur, { thresholds: { psi: 7 } })).toMatchObject({ method: 'ks', threshold: 0.05 });
    expect(detectDrift(ref, cur, { method: 'psi', bins: 'quantile', count: 4 }).statistic).toBeGreaterThan(0);
  });

  it('numbers can be treated as categories', () => {
    const r = detectDrift([1, 2, 3, 1, 2, 3, 7], [1, 2, 3, 3, 3, 7, 8], { kind: 'categorical' });
    expect(r.method).toBe('chisquare');
    expect(r.statistic).toBe(Infinity); // 8 never occurs in the reference
    expect(r.pValue).toBe(0);
    expect(r.drifted).toBe(true);
  });

  it('strings are categorical; numeric-only methods refuse them', () => {
    expect(detectDrift(['a', 'b', 'a'], ['a', 'a', 'a']).method).toBe('z');
    expect(() => detectDrift(['a'], ['b'], { method: 'ks' })).toThrow("detectDrift: method 'ks' does not accept categorical data");
    expect(() => detectDrift(['a'], ['b'], { kind: 'numeric' })).toThrow('detectDrift: options.kind numeric needs numbers, got strings');
  });

  it('vectors go to MMD', () => {
    const a = range(20, (i) => i).map((i) => [Math.cos(i), Math.sin(i)]);
    const b = range(20, (i) => i).map((i) => [Math.cos(i) + 3, Math.sin(i)]);
    const r = detectDrift(a, b, { seed: 3, permutations: 50 });
    expect(r.method).toBe('mmd');
    expect(r.pValue).toBeCloseTo(1 / 51, 12);
    expect(r.drifted).toBe(true);
    expect(() => detectDrift(a, b, { method: 'psi' })).toThrow("detectDrift: method 'psi' does not accept vectors");
  });
});

describe('verdict directions (Evidently)', () => {
  it('KS drifts at p = threshold, chi-square / Z / MMD only below it, distances at statistic = threshold', () => {
    expect(DRIFT_TESTS.ks.verdict).toBe('p-value-at-or-below');
    expect(isDrifted('p-value-at-or-below', 0.3, 0.05, 0.05)).toBe(true);
    for (const m of ['chisquare', 'z', 'mmd'] as const) {
      expect(DRIFT_TESTS[m].verdict).toBe('p-value-below');
      expect(DRIFT_TESTS[m].lowerPValueMeansDrift).toBe(true);
    }
    expect(isDrifted('p-value-below', 1, 0.05, 0.05)).toBe(false);
    for (const m of ['psi', 'jensenshannon', 'wasserstein', 'hellinger'] as const) {
      expect(DRIFT_TESTS[m]).toMatchObject({ verdict: 'statistic-at-or-above', defaultThreshold: 0.1, lowerPValueMeansDrift: false });
    }
    expect(isDrifted('statistic-at-or-above', 0.1, undefined, 0.1)).toBe(true);
  });
});
