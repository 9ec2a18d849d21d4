import type { DriftMethod, DriftResult } from '../types.js';
import type { BinningOptions } from '../drift/binning.js';
import { chiSquareFromCounts } from '../drift/chi-square.js';
import { DRIFT_TESTS } from '../drift/detect-drift.js';
import { makeResult } from '../drift/drift-test.js';
import { hellingerFromCounts } from '../drift/hellinger.js';
import { jensenShannonFromCounts } from '../drift/jensen-shannon.js';
import { ksDriftTest } from '../drift/ks.js';
import { ksTwoSamplePValue } from '../drift/ks-two-sample.js';
import { psiFromCounts } from '../drift/psi.js';
import { resolveThreshold } from '../drift/validate.js';
import { normWasserstein, wassersteinTest } from '../drift/wasserstein.js';
import { zTestFromCounts } from '../drift/z-test.js';
import type { FeatureSketch } from '../profile/feature-sketch.js';
import { walkHistogramPair } from './histogram-pair-walk.js';
import { ksFromSketches } from './ks-sketch.js';
import type { PreparedHistogram, PreparedSketch } from './prepared-sketch.js';
import { alignScales, dataScratch, prepareSketchOnce, preparedStd } from './prepared-sketch.js';
import { alignedBucketCounts, binSketches, categoryBins, numericEdges } from './sketch-bins.js';
import type { SketchBins } from './sketch-bins.js';
import { meanCorrectedWasserstein, wassersteinFromSketches } from './wasserstein-sketch.js';

export interface SketchDriftSuiteOptions extends BinningOptions {
  /** Threshold per method (the method's default otherwise). */
  readonly thresholds?: Partial<Record<DriftMethod, number>>;
  /** Logarithm base of the Jensen–Shannon distance (default e). */
  readonly base?: number;
}

const referenceScratch = dataScratch();
const currentScratch = dataScratch();

/** The name a method's errors carry (that of its raw-sample function). */
const TEST_NAMES: Record<DriftMethod, string> = {
  psi: 'psi',
  jensenshannon: 'jensenShannon',
  hellinger: 'hellinger',
  chisquare: 'chiSquareTest',
  z: 'zTest',
  ks: 'ksTest',
  wasserstein: 'wassersteinNormed',
  mmd: 'mmdTest',
};

function isProportionMethod(m: DriftMethod): boolean {
  return m === 'psi' || m === 'jensenshannon' || m === 'hellinger';
}

function isWalkMethod(m: DriftMethod): boolean {
  return isProportionMethod(m) || m === 'ks' || m === 'wasserstein';
}

/** The categories (or, for numeric sketches, the bucket-aligned values) of both sides, as the count-based tests take them. */
function valueBins(test: string, reference: PreparedSketch, current: PreparedSketch): SketchBins {
  if (reference.kind !== current.kind) throw new Error(`${test}: reference sketch is ${reference.kind} but current sketch is ${current.kind}`);
  if (reference.kind === 'categorical' && current.kind === 'categorical') return categoryBins(reference, current);
  // numbers taken as categories: one bin per bucket, exact whenever distinct values sit in distinct buckets
  return { ...alignedBucketCounts(reference as PreparedHistogram, current as PreparedHistogram), binning: 'buckets' };
}

function numericPair(test: string, reference: PreparedSketch, current: PreparedSketch): [PreparedHistogram, PreparedHistogram] {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric') {
    throw new Error(`${test} accepts numeric sketches only, got ${reference.kind} reference and ${current.kind} current`);
  }
  return [reference, current];
}

/** A method's threshold: the one given (checked, naming the test) or its default. */
function thresholdOf(method: DriftMethod, options: SketchDriftSuiteOptions): number {
  return resolveThreshold(TEST_NAMES[method], options.thresholds?.[method], DRIFT_TESTS[method].defaultThreshold);
}

function binningOf(options: SketchDriftSuiteOptions): BinningOptions {
  return { ...(options.bins === undefined ? {} : { bins: options.bins }), ...(options.count === undefined ? {} : { count: options.count }) };
}

/** A proportion test's statistic over given bins. */
function proportionStatistic(method: 'psi' | 'jensenshannon' | 'hellinger', bins: { reference: ArrayLike<number>; current: ArrayLike<number> }, base: number | undefined): number {
  if (method === 'psi') return psiFromCounts(bins.reference, bins.current);
  if (method === 'jensenshannon') return jensenShannonFromCounts(bins.reference, bins.current, base);
  return hellingerFromCounts(bins.reference, bins.current);
}

/** One method on a prepared, scale-aligned pair, the test reading the sketches on its own. */
function singleTest(method: DriftMethod, ref: PreparedSketch, cur: PreparedSketch, options: SketchDriftSuiteOptions): DriftResult {
  if (method === 'mmd') throw new Error('mmdTest needs the raw vectors; sketches do not keep them (use mmdTest on samples)');
  if (!(method in DRIFT_TESTS)) throw new Error(`driftFromSketches: unknown method '${String(method)}'`);
  const threshold = thresholdOf(method, options);
  const test = TEST_NAMES[method];
  switch (method) {
    case 'psi':
    case 'jensenshannon':
    case 'hellinger':
      return makeResult(DRIFT_TESTS[method], proportionStatistic(method, binSketches(test, ref, cur, binningOf(options)), options.base), threshold);
    case 'chisquare':
    case 'z': {
      const b = valueBins(test, ref, cur);
      const { statistic, pValue } = method === 'z' ? zTestFromCounts(b.reference, b.current) : chiSquareFromCounts(b.reference, b.current);
      return makeResult(DRIFT_TESTS[method], statistic, threshold, pValue);
    }
    case 'ks': {
      const [r, c] = numericPair(test, ref, cur);
      return ksFromSketches(r, c, { threshold });
    }
    default: {
      const [r, c] = numericPair(test, ref, cur);
      return wassersteinFromSketches(r, c, { threshold });
    }
  }
}

/**
 * The histogram tests of a numeric pair (`psi`, `jensenshannon`, `hellinger`, `ks`, `wasserstein`) from one
 * {@link walkHistogramPair}: the bins of the proportion tests computed once for all of them, KS and Wasserstein from the
 * same walk; the other methods by their own tests. Results in the order of `methods`; undefined when the walk does not
 * apply (the per-test path then runs).
 */
function walkedResults(methods: readonly DriftMethod[], ref: PreparedHistogram, cur: PreparedHistogram, options: SketchDriftSuiteOptions): DriftResult[] | undefined {
  // thresholds are checked before any work, as each test checks its own
  const thresholds = methods.map((m) => (isWalkMethod(m) ? thresholdOf(m, options) : NaN));
  const proportion = methods.find(isProportionMethod);
  // Sturges and quantile edges as numpy makes them: the walk moves them onto bucket boundaries as it crosses them
  const edges = proportion === undefined ? undefined : numericEdges(TEST_NAMES[proportion], ref, cur, binningOf(options), false);
  const walk = walkHistogramPair(ref, cur, edges?.edges, edges !== undefined && edges.binning !== 'edges');
  if (walk === undefined) return undefined;
  // few distinct values: one bin per bucket (`binSketches`), shared by the proportion tests
  let bins: { reference: ArrayLike<number>; current: ArrayLike<number> } | undefined = edges === undefined ? undefined : { reference: walk.referenceBins, current: walk.currentBins };
  const ks = walk.ks;
  const wasserstein = meanCorrectedWasserstein(ref, cur, walk.wasserstein, walk.referenceModelMean, walk.currentModelMean);
  const results: DriftResult[] = [];
  for (let k = 0; k < methods.length; k++) {
    const m = methods[k] as DriftMethod;
    const threshold = thresholds[k] as number;
    switch (m) {
      case 'psi':
      case 'jensenshannon':
      case 'hellinger':
        bins ??= binSketches(TEST_NAMES[m], ref, cur, binningOf(options));
        results.push(makeResult(DRIFT_TESTS[m], proportionStatistic(m, bins, options.base), threshold));
        break;
      case 'ks': {
        const { statistic, pValue } = ksTwoSamplePValue(ref.count, cur.count, ks);
        results.push(makeResult(ksDriftTest, statistic, threshold, pValue));
        break;
      }
      case 'wasserstein':
        results.push(makeResult(wassersteinTest, normWasserstein(wasserstein, preparedStd(ref)), threshold));
        break;
      default:
        results.push(singleTest(m, ref, cur, options));
    }
  }
  return results;
}

/**
 * Several drift methods on one pair of sketches (or their prepared forms), each with the statistic, threshold and
 * verdict of {@link driftFromSketches} — the form the aggregator evaluates a feature with. The sketches are prepared
 * and brought to a common scale once; for numeric sketches the histogram tests (`psi`, `jensenshannon`, `hellinger`,
 * `ks`, `wasserstein`) come from one walk over both histograms' buckets (`walkHistogramPair`), the proportion tests
 * sharing one set of bins. The results equal those of the per-test functions: to the bit for KS, up to rounding
 * (≈ 1e-15 relative) for the proportion tests (bins as differences of each CDF estimate at the edges, not sums of
 * bucket pieces) and Wasserstein (its integral summed over other pieces).
 * Results come in the order of `methods`. Throws like `driftFromSketches` for the first method that fails.
 * Cost: O(buckets + bins) numeric (plus the KS p-value), O((K + M) log(K + M)) per categorical test.
 */
export function driftSuiteFromSketches(
  methods: readonly DriftMethod[],
  reference: FeatureSketch | PreparedSketch,
  current: FeatureSketch | PreparedSketch,
  options: SketchDriftSuiteOptions = {},
): DriftResult[] {
  const test = methods.length === 1 ? (methods[0] as DriftMethod) : 'driftSuiteFromSketches';
  // sketches not prepared by the caller are read into scratch data: nothing read here outlives the call
  const [ref, cur] = alignScales(prepareSketchOnce(reference, test, 'reference', referenceScratch), prepareSketchOnce(current, test, 'current', currentScratch));
  const walked = ref.kind === 'numeric' && cur.kind === 'numeric' && methods.some(isWalkMethod) ? walkedResults(methods, ref, cur, options) : undefined;
  return walked ?? methods.map((m) => singleTest(m, ref, cur, options));
}
