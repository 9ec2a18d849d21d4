/**
 * Conformance suite of the drift tests on sketches: every sketch variant against the exact raw-sample test of the
 * same name (itself checked against scipy to 1e-9 in drift/oracle.test.ts), on
 * (a) every case of fixtures/oracle.json (small samples, ties, heavy tails, zeros, 1e-3 and 1e6 magnitudes, …) and
 * (b) seeded production-sized samples (1 000 – 20 000 values per side), where sketches are used.
 * Sketches are built as the SDK and reference profiles build them: default 160-bucket histograms, with the exact
 * distinct-value count and population std a reference profile carries.
 *
 * Tolerances (measured figures in README.md of this folder) and why:
 * - KS D: |D̂ − D| ≤ 0.01 absolute on every case, and D̂ ≤ D (D̂ reads both CDFs only at the common bucket boundaries,
 *   where they are exact).
 * - Wasserstein (normed): within its documented worst-case bound (2B, B = ½ Σ shares × bucket widths / σ_ref: the
 *   crossing area is estimated, the means are exact) on every case; within 2 % relative on every case whose distance
 *   is ≥ 0.05 (half the default threshold), small samples and heavy tails included; below that, 0.002 absolute, where
 *   the distance is mostly sampling noise.
 * - Jensen–Shannon and Hellinger on the same edges: 5 % relative on smooth data with ≥ 5000 values a side and a value
 *   ≥ 0.05; 10 % with ≥ 1000 values; 30 % on heavy-tailed or zero-inflated data; else (small samples, small values)
 *   0.015 absolute. A bin edge cuts one bucket per side; its values are split as if uniform, which for the one or two
 *   values of a sparse tail bin is a guess, and these distances weigh sparse bins heavily.
 * - PSI on the same edges: 5 % on smooth data with ≥ 5000 values a side, a value ≥ 0.05 and no bin empty in the raw
 *   data. Evidently's zero fill (1e-4, or min share / 10⁶) makes PSI discontinuous at empty bins: a bin the sketch
 *   estimates at 0.3 values where the raw data has none changes the fill of every empty bin by up to 10⁶×. Other cases
 *   are held to the verdict, away (±50 %) from the threshold.
 * - chi-square and Z on categories, and the binned tests on few-valued numbers (each value in its own bucket):
 *   1e-9 relative — the counts are exact there.
 * These are weaker than the targets (5 % for PSI/JS/Hellinger everywhere) on heavy tails, zero inflation and
 * small samples; the README says so, with how far the exact statistics themselves move when their edges move by
 * less than one bucket (`edge-sensitivity.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import type { DriftMethod } from '../types.js';
import { binSamples } from '../drift/binning.js';
import { chiSquareTest } from '../drift/chi-square.js';
import { detectDrift } from '../drift/detect-drift.js';
import { hellinger } from '../drift/hellinger.js';
import { jensenShannon } from '../drift/jensen-shannon.js';
import { ksTest } from '../drift/ks.js';
import { psi } from '../drift/psi.js';
import { wassersteinNormed } from '../drift/wasserstein.js';
import { zTest } from '../drift/z-test.js';
import { detectDriftFromSketches } from './detect-drift-from-sketches.js';
import { driftFromSketches } from './drift-from-sketches.js';
import { alignScales, prepareSketch, preparedStd } from './prepared-sketch.js';
import type { PreparedHistogram } from './prepared-sketch.js';
import type { Sample } from './conformance-cases.test-support.js';
import { ROUGH, categoricalCases, numericCases, sketchOf } from './conformance-cases.test-support.js';

const relativeError = (actual: number, expected: number): number => (actual === expected ? 0 : Math.abs(actual - expected) / Math.abs(expected));

function wassersteinBound(sample: Sample): number {
  const [r, c] = alignScales(prepareSketch(sketchOf(sample, 'reference')), prepareSketch(sketchOf(sample, 'current'))) as [PreparedHistogram, PreparedHistogram];
  const spread = (p: PreparedHistogram): number => {
    let s = 0;
    p.buckets.count.forEach((count, k) => (s += (count / p.count) * ((p.buckets.upper[k] as number) - (p.buckets.lower[k] as number))));
    return s / 2;
  };
  return (spread(r) + spread(c)) / Math.max(preparedStd(r), 0.001);
}

describe.each(numericCases)('$name (numeric sketch)', (c) => {
  const ref = sketchOf(c, 'reference');
  const cur = sketchOf(c, 'current');
  const few = new Set([...c.reference, ...c.current]).size <= 20;

  it('KS D̂ is a lower bound of D within 0.01', () => {
    const exact = ksTest(c.reference as number[], c.current as number[]).statistic;
    const sketch = driftFromSketches('ks', ref, cur).statistic;
    expect(sketch).toBeLessThanOrEqual(exact + 1e-12);
    expect(exact - sketch).toBeLessThanOrEqual(0.01);
  });

  const smooth = !ROUGH.test(c.name) && c.name.startsWith('gen-');
  const minSide = Math.min(c.reference.length, c.current.length);

  it('normed Wasserstein is within its documented bound, and within 2 % from 0.05 up', () => {
    const exact = wassersteinNormed(c.reference as number[], c.current as number[]).statistic;
    const sketch = driftFromSketches('wasserstein', ref, cur).statistic;
    expect(Math.abs(sketch - exact)).toBeLessThanOrEqual(2 * wassersteinBound(c) + 1e-12);
    if (exact >= 0.05) expect(relativeError(sketch, exact)).toBeLessThanOrEqual(0.02);
    else expect(Math.abs(sketch - exact)).toBeLessThanOrEqual(0.002);
  });

  it.each([
    ['jensenshannon', jensenShannon],
    ['hellinger', hellinger],
  ] as const)('%s on the same edges is within the stated tolerance', (method, exactTest) => {
    const exact = exactTest(c.reference, c.current).statistic;
    const sketch = driftFromSketches(method, ref, cur).statistic;
    if (few) expect(relativeError(sketch, exact)).toBeLessThanOrEqual(1e-9);
    else if (smooth && minSide >= 5000 && exact >= 0.05) expect(relativeError(sketch, exact)).toBeLessThanOrEqual(0.05);
    else if (smooth && minSide >= 1000 && exact >= 0.05) expect(relativeError(sketch, exact)).toBeLessThanOrEqual(0.1);
    else if (minSide >= 1000 && exact >= 0.05) expect(relativeError(sketch, exact)).toBeLessThanOrEqual(0.3);
    else expect(Math.abs(sketch - exact)).toBeLessThanOrEqual(0.015);
  });

  it('PSI on the same edges is within 5 % on smooth data without empty bins, else keeps the verdict away from the threshold', () => {
    const exact = psi(c.reference, c.current);
    const sketch = driftFromSketches('psi', ref, cur);
    const bins = binSamples('psi', c.reference, c.current);
    const noEmptyBin = bins.reference.every((n) => n > 0) && bins.current.every((n) => n > 0);
    if (few) expect(relativeError(sketch.statistic, exact.statistic)).toBeLessThanOrEqual(1e-9);
    else if (smooth && noEmptyBin && minSide >= 5000 && exact.statistic >= 0.05) expect(relativeError(sketch.statistic, exact.statistic)).toBeLessThanOrEqual(0.05);
    else if (Math.abs(exact.statistic - exact.threshold) > 0.5 * exact.threshold) expect(sketch.drifted).toBe(exact.drifted);
  });

  it('detectDriftFromSketches picks the method detectDrift picks', () => {
    expect(detectDriftFromSketches(ref, cur).method).toBe(detectDrift(c.reference, c.current).method);
  });
});

describe.each(categoricalCases)('$name (category sketch)', (c) => {
  const ref = sketchOf(c, 'reference');
  const cur = sketchOf(c, 'current');
  const exactTests: Partial<Record<DriftMethod, () => { statistic: number; pValue?: number }>> = {
    psi: () => psi(c.reference, c.current),
    jensenshannon: () => jensenShannon(c.reference, c.current),
    hellinger: () => hellinger(c.reference, c.current),
    chisquare: () => chiSquareTest(c.reference, c.current),
    ...(new Set([...c.reference, ...c.current]).size <= 2 ? { z: () => zTest(c.reference, c.current) } : {}),
  };

  it.each(Object.keys(exactTests) as DriftMethod[])('%s equals the raw-sample test (categories fit in K)', (method) => {
    const exact = (exactTests[method] as () => { statistic: number; pValue?: number })();
    const sketch = driftFromSketches(method, ref, cur);
    if (Number.isFinite(exact.statistic)) expect(relativeError(sketch.statistic, exact.statistic)).toBeLessThanOrEqual(1e-9);
    else expect(sketch.statistic).toBe(exact.statistic);
    if (exact.pValue !== undefined) expect(Math.abs((sketch.pValue ?? NaN) - exact.pValue)).toBeLessThanOrEqual(1e-12);
  });

  it('detectDriftFromSketches gives detectDrift’s verdict', () => {
    const exact = detectDrift(c.reference, c.current);
    const sketch = detectDriftFromSketches(ref, cur);
    expect({ method: sketch.method, drifted: sketch.drifted }).toEqual({ method: exact.method, drifted: exact.drifted });
  });
});
