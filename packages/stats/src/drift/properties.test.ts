import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareTest } from './chi-square.js';
import { hellinger } from './hellinger.js';
import { jensenShannon } from './jensen-shannon.js';
import { ksTest } from './ks.js';
import { psi } from './psi.js';
import { wassersteinNormed } from './wasserstein.js';
import { zTest } from './z-test.js';

const SETTINGS = { seed: 42, numRuns: 150 };

/** Finite doubles over a wide range, including negatives, zeros and tiny magnitudes. */
const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e-3, max: 1e-3, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -5, max: 5 }),
);
const numeric = fc.array(value, { minLength: 1, maxLength: 120 });
const categorical = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'é', ''), { minLength: 1, maxLength: 120 });
const binary = fc.array(fc.constantFrom('no', 'yes'), { minLength: 1, maxLength: 120 });

/** A random permutation of `xs`, driven by fast-check so failures shrink and replay. */
const shuffled = <T>(xs: readonly T[], keys: readonly number[]): T[] =>
  xs
    .map((x, i) => [x, keys[i % keys.length] ?? 0, i] as const)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2])
    .map(([x]) => x);
const sortKeys = fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 120 });

const histogramTests = { psi, jensenShannon, hellinger };

describe('identical inputs give zero drift', () => {
  it('numeric: PSI, JS, Hellinger, Wasserstein and KS statistics are 0 and nothing drifts', () => {
    fc.assert(
      fc.property(numeric, (xs) => {
        for (const test of [psi, jensenShannon, hellinger]) {
          const r = test(xs, [...xs]);
          expect(r.statistic).toBe(0);
          expect(r.drifted).toBe(false);
        }
        const w = wassersteinNormed(xs, [...xs]);
        expect(w.statistic).toBe(0);
        expect(w.drifted).toBe(false);
        const ks = ksTest(xs, [...xs]);
        expect(ks.statistic).toBe(0);
        expect(ks.pValue).toBe(1);
        expect(ks.drifted).toBe(false);
      }),
      SETTINGS,
    );
  });

  it('numeric, quantile bins: PSI, JS and Hellinger are 0', () => {
    fc.assert(
      fc.property(numeric, fc.integer({ min: 1, max: 20 }), (xs, count) => {
        for (const test of [psi, jensenShannon, hellinger]) expect(test(xs, [...xs], { bins: 'quantile', count }).statistic).toBe(0);
      }),
      SETTINGS,
    );
  });

  it('categorical: PSI, JS, Hellinger and chi-square are 0, p = 1, nothing drifts', () => {
    fc.assert(
      fc.property(categorical, (xs) => {
        for (const test of [psi, jensenShannon, hellinger]) {
          const r = test(xs, [...xs]);
          expect(r.statistic).toBe(0);
          expect(r.drifted).toBe(false);
        }
        const chi = chiSquareTest(xs, [...xs]);
        expect(chi.statistic).toBe(0);
        expect(chi.pValue).toBeCloseTo(1, 12);
        expect(chi.drifted).toBe(false);
      }),
      SETTINGS,
    );
  });

  it('binary: the Z statistic is 0 and p = 1', () => {
    fc.assert(
      fc.property(binary, (xs) => {
        const z = zTest(xs, [...xs]);
        expect(z.statistic).toBe(0);
        expect(z.pValue).toBe(1);
        expect(z.drifted).toBe(false);
      }),
      SETTINGS,
    );
  });
});

describe('PSI is never negative', () => {
  it('numeric, auto and quantile bins', () => {
    fc.assert(
      fc.property(numeric, numeric, (a, b) => {
        expect(psi(a, b).statistic).toBeGreaterThanOrEqual(0);
        expect(psi(a, b, { bins: 'quantile', count: 7 }).statistic).toBeGreaterThanOrEqual(0);
      }),
      SETTINGS,
    );
  });
  it('categorical', () => {
    fc.assert(
      fc.property(categorical, categorical, (a, b) => {
        expect(psi(a, b).statistic).toBeGreaterThanOrEqual(0);
      }),
      SETTINGS,
    );
  });
});

describe('distances stay in range', () => {
  it('JS ∈ [0, √ln 2], Hellinger ∈ [0, 1], KS D ∈ [0, 1], p-values ∈ [0, 1]', () => {
    fc.assert(
      fc.property(numeric, numeric, (a, b) => {
        const js = jensenShannon(a, b).statistic;
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(Math.sqrt(Math.LN2) + 1e-12);
        const h = hellinger(a, b).statistic;
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(1);
        const ks = ksTest(a, b);
        expect(ks.statistic).toBeGreaterThanOrEqual(0);
        expect(ks.statistic).toBeLessThanOrEqual(1);
        expect(ks.pValue).toBeGreaterThanOrEqual(0);
        expect(ks.pValue).toBeLessThanOrEqual(1);
        expect(wassersteinNormed(a, b).statistic).toBeGreaterThanOrEqual(0);
      }),
      SETTINGS,
    );
  });
});

describe('results do not depend on input order', () => {
  it('numeric: every test gives bit-identical results on shuffled inputs', () => {
    fc.assert(
      fc.property(numeric, numeric, sortKeys, sortKeys, (a, b, ka, kb) => {
        const a2 = shuffled(a, ka);
        const b2 = shuffled(b, kb);
        for (const test of Object.values(histogramTests)) {
          expect(test(a2, b2)).toEqual(test(a, b));
          expect(test(a2, b2, { bins: 'quantile', count: 5 })).toEqual(test(a, b, { bins: 'quantile', count: 5 }));
        }
        expect(wassersteinNormed(a2, b2)).toEqual(wassersteinNormed(a, b));
        expect(ksTest(a2, b2)).toEqual(ksTest(a, b));
      }),
      SETTINGS,
    );
  });

  it('categorical: PSI, JS, Hellinger, chi-square and Z give bit-identical results on shuffled inputs', () => {
    fc.assert(
      fc.property(categorical, categorical, sortKeys, sortKeys, (a, b, ka, kb) => {
        const a2 = shuffled(a, ka);
        const b2 = shuffled(b, kb);
        for (const test of Object.values(histogramTests)) expect(test(a2, b2)).toEqual(test(a, b));
        expect(chiSquareTest(a2, b2)).toEqual(chiSquareTest(a, b));
      }),
      SETTINGS,
    );
    fc.assert(
      fc.property(binary, binary, sortKeys, sortKeys, (a, b, ka, kb) => {
        expect(zTest(shuffled(a, ka), shuffled(b, kb))).toEqual(zTest(a, b));
      }),
      SETTINGS,
    );
  });
});

describe('symmetry where the definition is symmetric', () => {
  it('KS D, JS and Hellinger are symmetric in (reference, current) for numeric data with > 20 distinct values', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 25, maxLength: 80 }), fc.array(value, { minLength: 25, maxLength: 80 }), (a, b) => {
        fc.pre(new Set(a).size > 20 && new Set(b).size > 20);
        expect(ksTest(a, b).statistic).toBe(ksTest(b, a).statistic);
        expect(jensenShannon(a, b).statistic).toBeCloseTo(jensenShannon(b, a).statistic, 12);
        expect(hellinger(a, b).statistic).toBeCloseTo(hellinger(b, a).statistic, 12);
      }),
      SETTINGS,
    );
  });
});
