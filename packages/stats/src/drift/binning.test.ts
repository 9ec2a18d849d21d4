import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binSamples, quantileEdges, sortedCopy, sturgesEdges } from './binning.js';
import { hellinger } from './hellinger.js';
import { jensenShannon } from './jensen-shannon.js';
import { psi } from './psi.js';

const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), fc.integer({ min: -5, max: 5 }));
const numeric = fc.array(value, { minLength: 1, maxLength: 120 });
const TESTS = [psi, jensenShannon, hellinger] as const;

describe('explicit edges (options.bins an array)', () => {
  it('reproduce the Sturges and quantile bins when given their edges (the oracle-checked binnings)', () => {
    fc.assert(
      fc.property(numeric, numeric, (a, b) => {
        const all = [...a, ...b];
        const sturges = sturgesEdges(Math.min(...all), Math.max(...all), all.length);
        const auto = binSamples('psi', a, b);
        if (auto.binning === 'sturges') expect(binSamples('psi', a, b, { bins: sturges })).toMatchObject({ reference: auto.reference, current: auto.current, binning: 'edges' });
        const quantile = quantileEdges(sortedCopy(a), 7);
        if (quantile.length >= 2) {
          for (const test of TESTS) expect(test(a, b, { bins: quantile }).statistic).toBe(test(a, b, { bins: 'quantile', count: 7 }).statistic);
        }
      }),
      { seed: 21, numRuns: 200 },
    );
  });

  it('count every value: the outer bins are open, bins are [a, b)', () => {
    expect(binSamples('psi', [-5, 0, 1, 1.5, 2, 99], [3], { bins: [0, 1, 2] })).toEqual({ reference: [2, 4], current: [0, 1], binning: 'edges' });
    expect(binSamples('psi', [1, 2], [3], { bins: [-Infinity, 2, Infinity] })).toEqual({ reference: [1, 1], current: [0, 1], binning: 'edges' });
  });

  it('give 0 on identical samples and do not depend on the order of the input', () => {
    fc.assert(
      fc.property(numeric, fc.uniqueArray(fc.double({ min: -2e6, max: 2e6, noNaN: true }), { minLength: 2, maxLength: 8, comparator: 'SameValueZero' }), (a, es) => {
        const edges = [...es].sort((x, y) => x - y);
        for (const test of TESTS) {
          expect(test(a, [...a], { bins: edges }).statistic).toBe(0);
          expect(test(a, [...a].reverse(), { bins: edges }).statistic).toBe(0);
        }
      }),
      { seed: 22, numRuns: 150 },
    );
  });
});
