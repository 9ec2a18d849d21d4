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
 * - PSI, Jensen–Shannon and Hellinger on the same edges: 1e-9 relative against the raw-sample test given the edges the
 *   sketch bins on (`binSketches(…).edges`: the Sturges edges moved onto bucket boundaries, so that no bucket is cut).
 *   The one exception is a positive raw value exactly on an edge (a positive bucket is upper-inclusive, numpy bins are
 *   [a, b)): then the bin counts differ by exactly those values, and the statistic is held to the issue's 5 %.
 * - The same against Evidently's own Sturges edges, which differ by less than one bucket: this is the statistics' own
 *   sensitivity to their edges, not an estimation error. Jensen–Shannon and Hellinger within 5 % relative on smooth
 *   data with ≥ 1000 values a side and a value ≥ 0.05, else 0.015 absolute; PSI within 7.5 % there, else within
 *   35 % or 0.01 absolute, and the same verdict away (±50 %) from the threshold. Measured worst cases are in README.md.
 * - chi-square and Z on categories, and the binned tests on few-valued numbers (each value in its own bucket):
 *   1e-9 relative — the counts are exact there.
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
import { binSketches } from './sketch-bins.js';
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

/** The binned measures, each with its raw-sample test. */
const BINNED = [
  ['psi', psi],
  ['jensenshannon', jensenShannon],
  ['hellinger', hellinger],
] as const;

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

  // the edges the sketch variants bin on (Sturges edges moved onto bucket boundaries), undefined for few-valued data
  const [preparedRef, preparedCur] = alignScales(prepareSketch(ref), prepareSketch(cur));
  const sketchEdges = binSketches('psi', preparedRef, preparedCur).edges;
  // positive raw values on an inner edge: numpy bins are [a, b), a positive bucket (lo, hi] counts them one bin lower
  const onEdge = sketchEdges === undefined ? 0 : (c.reference as number[]).concat(c.current as number[]).filter((v) => v > 0 && sketchEdges.slice(1, -1).includes(v)).length;

  it.each(BINNED)('%s on the same edges equals the raw-sample test', (method, exactTest) => {
    const sketch = driftFromSketches(method, ref, cur).statistic;
    if (sketchEdges === undefined) {
      // one bin per value (raw) and per bucket (sketch): the same bins when no two distinct values share a bucket, as
      // with few values on both sides; a few-valued reference against a many-valued current shares some (3.5 % PSI)
      const exact = exactTest(c.reference, c.current).statistic;
      expect(relativeError(sketch, exact)).toBeLessThanOrEqual(few ? 1e-9 : 0.05);
      return;
    }
    const exact = exactTest(c.reference, c.current, { bins: sketchEdges }).statistic;
    if (onEdge === 0) expect(relativeError(sketch, exact)).toBeLessThanOrEqual(1e-9);
    else {
      // the counts differ by exactly the values on an edge; the 5 % holds even then
      const raw = binSamples(method, c.reference, c.current, { bins: sketchEdges });
      const bins = binSketches(method, preparedRef, preparedCur);
      const off = (a: number[], b: number[]): number => a.reduce((s, n, k) => s + Math.abs(n - (b[k] as number)), 0);
      expect(off(raw.reference, bins.reference) + off(raw.current, bins.current)).toBeLessThanOrEqual(2 * onEdge + 1e-9);
      expect(relativeError(sketch, exact)).toBeLessThanOrEqual(0.05);
    }
  });

  it.each(BINNED)('%s on quantile bins equals the raw-sample test on the same edges', (method, exactTest) => {
    const quantile = { bins: 'quantile', count: 10 } as const;
    const sketch = driftFromSketches(method, ref, cur, quantile).statistic;
    const edges = binSketches(method, preparedRef, preparedCur, quantile).edges as number[];
    const exact = exactTest(c.reference, c.current, { bins: edges }).statistic;
    const onQuantileEdge = (c.reference as number[]).concat(c.current as number[]).some((v) => v > 0 && edges.includes(v));
    expect(relativeError(sketch, exact)).toBeLessThanOrEqual(onQuantileEdge ? 0.05 : 1e-9);
  });

  // (with one bin per value the bins are Evidently's own, checked above)
  if (sketchEdges !== undefined) it.each(BINNED)('%s is within the stated tolerance of its value on Evidently’s edges', (method, exactTest) => {
    const exact = exactTest(c.reference, c.current);
    const sketch = driftFromSketches(method, ref, cur);
    const smoothLarge = smooth && minSide >= 1000 && exact.statistic >= 0.05;
    if (method === 'psi') {
      if (smoothLarge) expect(relativeError(sketch.statistic, exact.statistic)).toBeLessThanOrEqual(0.075);
      else expect(Math.abs(sketch.statistic - exact.statistic)).toBeLessThanOrEqual(Math.max(0.35 * exact.statistic, 0.01));
      if (Math.abs(exact.statistic - exact.threshold) > 0.5 * exact.threshold) expect(sketch.drifted).toBe(exact.drifted);
    } else if (smoothLarge) expect(relativeError(sketch.statistic, exact.statistic)).toBeLessThanOrEqual(0.05);
    else expect(Math.abs(sketch.statistic - exact.statistic)).toBeLessThanOrEqual(0.015);
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
