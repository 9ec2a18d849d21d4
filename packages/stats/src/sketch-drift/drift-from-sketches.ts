import type { DriftMethod, DriftResult } from '../types.js';
import type { BinningOptions } from '../drift/binning.js';
import { chiSquareDriftTest, chiSquareFromCounts } from '../drift/chi-square.js';
import { makeResult } from '../drift/drift-test.js';
import { hellingerFromCounts, hellingerTest } from '../drift/hellinger.js';
import { jensenShannonFromCounts, jensenShannonTest } from '../drift/jensen-shannon.js';
import { psiFromCounts, psiTest } from '../drift/psi.js';
import { resolveThreshold } from '../drift/validate.js';
import { zDriftTest, zTestFromCounts } from '../drift/z-test.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { ksFromSketches } from './ks-sketch.js';
import type { PreparedHistogram, PreparedSketch } from './prepared-sketch.js';
import { alignScales, prepareSketch } from './prepared-sketch.js';
import { binSketches, categoryBins } from './sketch-bins.js';
import type { SketchBins } from './sketch-bins.js';
import { wassersteinFromSketches } from './wasserstein-sketch.js';

export interface SketchDriftOptions extends BinningOptions {
  /** Threshold of the method (its default otherwise). */
  readonly threshold?: number;
  /** Logarithm base of the Jensen–Shannon distance (default e). */
  readonly base?: number;
}

/** The categories (or, for numeric sketches, the bucket-aligned values) of both sides, as the count-based tests take them. */
function valueBins(test: string, reference: PreparedSketch, current: PreparedSketch): SketchBins {
  if (reference.kind !== current.kind) throw new Error(`${test}: reference sketch is ${reference.kind} but current sketch is ${current.kind}`);
  if (reference.kind === 'categorical' && current.kind === 'categorical') return categoryBins(reference, current);
  // numbers taken as categories: one bin per bucket, exact whenever distinct values sit in distinct buckets
  return binSketches(test, { ...(reference as PreparedHistogram), uniqueCount: 0 }, current);
}

function numericPair(test: string, reference: PreparedSketch, current: PreparedSketch): [PreparedHistogram, PreparedHistogram] {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric') {
    throw new Error(`${test} accepts numeric sketches only, got ${reference.kind} reference and ${current.kind} current`);
  }
  return [reference, current];
}

/**
 * Runs one drift method on two sketches (or their prepared forms, see `prepareSketch`) — the sketch-based variant of the
 * raw-sample test of the same name, with the same statistic, threshold and verdict rule:
 * - `psi`, `jensenshannon`, `hellinger`: the proportion formulas over {@link binSketches} (Sturges, quantile, bucket or
 *   category bins); error: only through the mass of buckets cut by bin edges;
 * - `chisquare`, `z`: over categories (numeric sketches: bucket-aligned values); exact while categories fit in K;
 * - `ks`: D̂ from the CDF estimates (`ksStatisticFromBuckets`, |D̂ − D| ≤ largest bucket share per side);
 * - `wasserstein`: Ŵ₁ / σ_ref (`wassersteinFromBuckets`, |Ŵ₁ − W₁| ≤ ½ Σ shares × bucket widths);
 * - `mmd` needs vectors, which sketches do not keep: it throws.
 * Mismatched kinds, empty sketches and methods that do not accept the data throw an `Error` naming the test.
 * Cost: O(buckets + bins) numeric (plus the KS p-value), O((K + M) log(K + M)) categorical.
 */
export function driftFromSketches(method: DriftMethod, reference: FeatureSketch | PreparedSketch, current: FeatureSketch | PreparedSketch, options: SketchDriftOptions = {}): DriftResult {
  const [ref, cur] = alignScales(prepareSketch(reference, method, 'reference'), prepareSketch(current, method, 'current'));
  const binning: BinningOptions = { ...(options.bins === undefined ? {} : { bins: options.bins }), ...(options.count === undefined ? {} : { count: options.count }) };
  switch (method) {
    case 'psi': {
      const threshold = resolveThreshold('psi', options.threshold, psiTest.defaultThreshold);
      const b = binSketches('psi', ref, cur, binning);
      return makeResult(psiTest, psiFromCounts(b.reference, b.current), threshold);
    }
    case 'jensenshannon': {
      const threshold = resolveThreshold('jensenShannon', options.threshold, jensenShannonTest.defaultThreshold);
      const b = binSketches('jensenShannon', ref, cur, binning);
      return makeResult(jensenShannonTest, jensenShannonFromCounts(b.reference, b.current, options.base), threshold);
    }
    case 'hellinger': {
      const threshold = resolveThreshold('hellinger', options.threshold, hellingerTest.defaultThreshold);
      const b = binSketches('hellinger', ref, cur, binning);
      return makeResult(hellingerTest, hellingerFromCounts(b.reference, b.current), threshold);
    }
    case 'chisquare': {
      const threshold = resolveThreshold('chiSquareTest', options.threshold, chiSquareDriftTest.defaultThreshold);
      const b = valueBins('chiSquareTest', ref, cur);
      const { statistic, pValue } = chiSquareFromCounts(b.reference, b.current);
      return makeResult(chiSquareDriftTest, statistic, threshold, pValue);
    }
    case 'z': {
      const threshold = resolveThreshold('zTest', options.threshold, zDriftTest.defaultThreshold);
      const b = valueBins('zTest', ref, cur);
      const { statistic, pValue } = zTestFromCounts(b.reference, b.current);
      return makeResult(zDriftTest, statistic, threshold, pValue);
    }
    case 'ks': {
      const [r, c] = numericPair('ksTest', ref, cur);
      return ksFromSketches(r, c, options);
    }
    case 'wasserstein': {
      const [r, c] = numericPair('wassersteinNormed', ref, cur);
      return wassersteinFromSketches(r, c, options);
    }
    case 'mmd':
      throw new Error('mmdTest needs the raw vectors; sketches do not keep them (use mmdTest on samples)');
    default:
      throw new Error(`driftFromSketches: unknown method '${String(method)}'`);
  }
}
