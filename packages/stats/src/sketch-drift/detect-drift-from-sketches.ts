import type { DriftMethod, DriftResult } from '../types.js';
import type { DetectDriftOptions } from '../drift/detect-drift.js';
import { DRIFT_TESTS, chooseDriftMethod, thresholdFor } from '../drift/detect-drift.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { driftFromSketches } from './drift-from-sketches.js';
import type { PreparedHistogram, PreparedSketch } from './prepared-sketch.js';
import { alignScales, prepareSketch } from './prepared-sketch.js';
import { alignedBucketCounts, categoryBins } from './sketch-bins.js';
import { MAX_VALUE_BINS } from '../drift/binning.js';

/**
 * Distinct values over reference ∪ current, as Evidently counts them for its method choice: the aligned category keys;
 * for numbers the reference's count, raised to the number of occupied buckets of both sides when the reference has few
 * values (so a current sample with new values is not taken for binary data). Cost: O(maxSize) or O(K + M).
 */
function distinctValues(ref: PreparedSketch, cur: PreparedSketch): number {
  if (ref.kind === 'categorical' && cur.kind === 'categorical') return categoryBins(ref, cur).reference.length;
  if (ref.kind !== 'numeric' || cur.kind !== 'numeric') return 0;
  if (ref.uniqueCount > MAX_VALUE_BINS) return ref.uniqueCount;
  const [r, c] = alignScales(ref, cur) as [PreparedHistogram, PreparedHistogram];
  return Math.max(ref.uniqueCount, alignedBucketCounts(r, c).reference.length);
}

/** The options of {@link detectDriftFromSketches}: those of `detectDrift` that apply to sketches. */
export type DetectDriftFromSketchesOptions = Omit<DetectDriftOptions, 'kind' | 'permutations' | 'seed'>;

/**
 * The method {@link detectDriftFromSketches} runs on this pair: `options.method`, else Evidently's choice
 * (`chooseDriftMethod`) on the reference size and the distinct values (`distinctValues`). Throws an `Error` for
 * mismatched kinds, empty sketches, or a method that does not accept the data. Cost: O(maxSize) or O(K + M).
 */
export function chooseSketchDriftMethod(reference: FeatureSketch | PreparedSketch, current: FeatureSketch | PreparedSketch, options: DetectDriftFromSketchesOptions = {}): DriftMethod {
  const ref = prepareSketch(reference, 'detectDrift', 'reference');
  const cur = prepareSketch(current, 'detectDrift', 'current');
  if (ref.kind !== cur.kind) throw new Error(`detectDrift: reference sketch is ${ref.kind} but current sketch is ${cur.kind}`);
  const referenceCount = ref.kind === 'numeric' ? ref.count : ref.total;
  // the distinct values are counted only when the choice needs them
  const uniqueCount = options.method === undefined ? distinctValues(ref, cur) : 0;
  const method = chooseDriftMethod({ kind: ref.kind, referenceCount, uniqueCount }, options);
  if (!DRIFT_TESTS[method].accepts.includes(ref.kind)) throw new Error(`detectDrift: method '${method}' does not accept ${ref.kind} data`);
  return method;
}

/**
 * `detectDrift` on sketches: the same default method choice (`chooseDriftMethod`: Evidently's rule on the reference
 * size and the number of distinct values), the same thresholds, and the sketch variant of the chosen test
 * (`driftFromSketches`). Distinct values are counted by `distinctValues`: the reference sketch's exact `uniqueCount`
 * when it carries one (reference profiles do), else its number of non-empty buckets. See
 * {@link chooseSketchDriftMethod} for the choice alone (to run it with other methods in one `driftSuiteFromSketches`).
 * Cost: that of the chosen sketch test.
 */
export function detectDriftFromSketches(reference: FeatureSketch | PreparedSketch, current: FeatureSketch | PreparedSketch, options: DetectDriftFromSketchesOptions = {}): DriftResult {
  const ref = prepareSketch(reference, 'detectDrift', 'reference');
  const cur = prepareSketch(current, 'detectDrift', 'current');
  const method = chooseSketchDriftMethod(ref, cur, options);
  return driftFromSketches(method, ref, cur, {
    threshold: thresholdFor(method, options),
    ...(options.bins === undefined ? {} : { bins: options.bins }),
    ...(options.count === undefined ? {} : { count: options.count }),
    ...(options.base === undefined ? {} : { base: options.base }),
  });
}
