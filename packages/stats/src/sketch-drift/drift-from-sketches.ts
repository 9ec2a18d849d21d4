import type { DriftMethod, DriftResult } from '../types.js';
import type { BinningOptions } from '../drift/binning.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { driftSuiteFromSketches } from './drift-suite-from-sketches.js';
import type { PreparedSketch } from './prepared-sketch.js';

export interface SketchDriftOptions extends BinningOptions {
  /** Threshold of the method (its default otherwise). */
  readonly threshold?: number;
  /** Logarithm base of the Jensen–Shannon distance (default e). */
  readonly base?: number;
}

/**
 * Runs one drift method on two sketches (or their prepared forms, see `prepareSketch`) — the sketch-based variant of the
 * raw-sample test of the same name, with the same statistic, threshold and verdict rule:
 * - `psi`, `jensenshannon`, `hellinger`: the proportion formulas over {@link binSketches} (Sturges, quantile, bucket or
 *   category bins); error: only through the mass of buckets cut by bin edges;
 * - `chisquare`, `z`: over categories (numeric sketches: bucket-aligned values); exact while categories fit in K;
 * - `ks`: D̂ from the CDF estimates (`ksStatisticFromBuckets`, |D̂ − D| ≤ largest bucket share per side);
 * - `wasserstein`: Ŵ₁ / σ_ref (`meanCorrectedWasserstein`: exact means, the crossing area from the buckets; |Ŵ₁ − W₁| ≤ Σ shares × bucket widths);
 * - `mmd` needs vectors, which sketches do not keep: it throws.
 * Mismatched kinds, empty sketches and methods that do not accept the data throw an `Error` naming the test.
 * Numeric PSI, Jensen–Shannon, Hellinger, KS and Wasserstein come from one walk over both histograms
 * (`driftSuiteFromSketches`, which runs several methods on one pair at the cost of about one).
 * Cost: O(buckets + bins) numeric (plus the KS p-value), O((K + M) log(K + M)) categorical.
 */
export function driftFromSketches(method: DriftMethod, reference: FeatureSketch | PreparedSketch, current: FeatureSketch | PreparedSketch, options: SketchDriftOptions = {}): DriftResult {
  const { threshold, ...rest } = options;
  return driftSuiteFromSketches([method], reference, current, threshold === undefined ? rest : { ...rest, thresholds: { [method]: threshold } })[0] as DriftResult;
}
