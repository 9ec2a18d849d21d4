import { describe, expect, it } from 'vitest';
import { chiSquareTest } from './chi-square.js';
import { detectDrift } from './detect-drift.js';
import { hellinger } from './hellinger.js';
import { jensenShannon } from './jensen-shannon.js';
import { ksTest } from './ks.js';
import { mmdTest } from './mmd.js';
import { psi } from './psi.js';
import { wassersteinNormed } from './wasserstein.js';
import { zTest } from './z-test.js';

describe('bad statistical input throws a clear Error', () => {
  it('empty samples', () => {
    expect(() => psi([], [1])).toThrow('psi requires at least 1 data point');
    expect(() => psi([1], [])).toThrow('psi requires at least 1 data point in current, got 0');
    expect(() => ksTest([], [1])).toThrow('ksTest requires at least 1 data point in reference');
    expect(() => jensenShannon(['a'], [])).toThrow('jensenShannon requires at least 1 data point in current');
    expect(() => hellinger([], [])).toThrow('hellinger requires at least 1 data point');
    expect(() => wassersteinNormed([1], [])).toThrow('wassersteinNormed requires at least 1 data point');
    expect(() => chiSquareTest([], ['a'])).toThrow('chiSquareTest requires at least 1 data point');
    expect(() => zTest(['a'], [])).toThrow('zTest requires at least 1 data point');
    expect(() => detectDrift([], [1])).toThrow('detectDrift requires at least 1 data point');
  });

  it('NaN and ±Infinity name the sample and the index', () => {
    expect(() => ksTest([1, 2, 3, NaN], [1])).toThrow('ksTest: reference contains NaN at index 3');
    expect(() => psi([1, 2], [0, Infinity])).toThrow('psi: current contains Infinity at index 1');
    expect(() => wassersteinNormed([-Infinity], [1])).toThrow('wassersteinNormed: reference contains -Infinity at index 0');
    expect(() => chiSquareTest([1, NaN], [1])).toThrow('chiSquareTest: reference contains NaN at index 1');
    expect(() => detectDrift([1, 2], [3, NaN])).toThrow('detectDrift: current contains NaN at index 1');
  });

  it('mixed or wrong element types', () => {
    expect(() => psi(['a', 1] as unknown as string[], ['a'])).toThrow('psi: reference mixes strings and other values (1 at index 1)');
    expect(() => psi([1, 2], ['a'] as unknown as number[])).toThrow('psi: current contains a non-number ("a") at index 0');
    expect(() => ksTest([null] as unknown as number[], [1])).toThrow('ksTest: reference contains a non-number (null) at index 0');
  });

  it('MMD: too few vectors, mismatched lengths, non-finite entries', () => {
    expect(() => mmdTest([[1]], [[1], [2]])).toThrow('mmdTest requires at least 2 data points in reference, got 1');
    expect(() => mmdTest([[1, 2], [3, 4]], [[1, 2], [3]])).toThrow('mmdTest: current vector 1 has length 1, expected 2');
    expect(() => mmdTest([[1, 2], [3, NaN]], [[1, 2], [3, 4]])).toThrow('mmdTest: reference vector 1 contains NaN at index 1');
    expect(() => mmdTest([[], []], [[1], [2]])).toThrow('mmdTest: reference vector 0 must be a non-empty array of numbers');
  });

  it('options are checked and named', () => {
    expect(() => psi([1], [1], { threshold: NaN })).toThrow('psi: options.threshold must be a finite number, got NaN');
    expect(() => psi([1, 2], [1], { bins: 'quantile', count: 0 })).toThrow('psi: options.count must be a positive integer, got 0');
    expect(() => psi(['a'], ['b'], { bins: 'quantile' })).toThrow("psi: options.bins 'quantile' applies to numeric data only");
    expect(() => psi(['a'], ['b'], { bins: [0, 1] })).toThrow('psi: options.bins (edges) applies to numeric data only');
    expect(() => psi([1], [2], { bins: [0] })).toThrow('psi: options.bins needs at least 2 edges, got 1');
    expect(() => hellinger([1], [2], { bins: [0, 2, 1] })).toThrow('hellinger: options.bins must be strictly increasing (options.bins[2] = 1)');
    expect(() => jensenShannon([1], [2], { bins: [0, NaN] })).toThrow('jensenShannon: options.bins[1] must be a number, got NaN');
    expect(() => psi([1], [2], { bins: 'sturges' as 'auto' })).toThrow("psi: options.bins must be 'auto', 'quantile' or an array of edges, got sturges");
    expect(() => jensenShannon([1], [2], { base: 1 })).toThrow('jensenShannon: options.base must be a positive number other than 1, got 1');
    expect(() => mmdTest([[1], [2]], [[1], [2]], { permutations: 0 })).toThrow('mmdTest: options.permutations must be a positive integer, got 0');
    expect(() => detectDrift([1], [2], { method: 'nope' as never })).toThrow("detectDrift: options.method 'nope' is not one of psi, ks, chisquare, z, jensenshannon, wasserstein, hellinger, mmd");
  });

  it('Z-test requires binary data', () => {
    expect(() => zTest(['a', 'b'], ['c'])).toThrow('zTest requires binary data (at most 2 categories), got 3');
  });
});
