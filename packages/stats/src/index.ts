export type { DriftMethod, DriftResult } from './types.js';

// drift tests on raw samples
export { ksTest, ksDriftTest } from './drift/ks.js';
export type { KsOptions } from './drift/ks.js';
export { chiSquareTest, chiSquareFromCounts, chiSquareDriftTest } from './drift/chi-square.js';
export type { ChiSquareOptions, ChiSquareValue } from './drift/chi-square.js';
export { zTest, zTestFromCounts, zDriftTest } from './drift/z-test.js';
export type { ZTestOptions } from './drift/z-test.js';
export { psi, psiFromCounts, psiTest } from './drift/psi.js';
export type { PsiOptions } from './drift/psi.js';
export { jensenShannon, jensenShannonFromCounts, jensenShannonTest } from './drift/jensen-shannon.js';
export type { JensenShannonOptions } from './drift/jensen-shannon.js';
export { hellinger, hellingerFromCounts, hellingerTest } from './drift/hellinger.js';
export type { HellingerOptions } from './drift/hellinger.js';
export { wassersteinNormed, wassersteinDistanceSorted, populationStd, normWasserstein, wassersteinTest, WASSERSTEIN_MIN_NORM } from './drift/wasserstein.js';
export type { WassersteinOptions } from './drift/wasserstein.js';
export { mmdTest, mmdDriftTest, DEFAULT_MMD_PERMUTATIONS } from './drift/mmd.js';
export type { MmdOptions } from './drift/mmd.js';
export { detectDrift, chooseDriftMethod, thresholdFor, DRIFT_TESTS, DEFAULT_LARGE_REFERENCE_ROWS, DEFAULT_MAX_FEW_VALUES } from './drift/detect-drift.js';
export type { DetectDriftOptions, MethodChoiceInput, MethodChoiceOptions } from './drift/detect-drift.js';
export { datasetDrift, DEFAULT_DATASET_DRIFT_SHARE } from './drift/dataset-drift.js';
export type { DatasetDrift, DatasetDriftOptions } from './drift/dataset-drift.js';
export { bonferroni, benjaminiHochberg } from './drift/corrections.js';
export { isDrifted, makeResult } from './drift/drift-test.js';
export type { DataKind, DriftTest, DriftTestInfo, Verdict } from './drift/drift-test.js';
export { sturgesEdges, histogramCounts, quantileEdges, binSamples, MAX_VALUE_BINS, DEFAULT_QUANTILE_BINS } from './drift/binning.js';
export type { BinningOptions, BinnedCounts } from './drift/binning.js';
export { ksTwoSamplePValue, ksStatisticSorted, KS_MAX_EXACT_N } from './drift/ks-two-sample.js';
export type { KsTwoSampleResult } from './drift/ks-two-sample.js';
export { kolmogorovSf, smirnovSf } from './drift/kolmogorov.js';
export { chiSquareSf, normalCdf, erf, erfc, logGamma, regularizedGammaQ } from './drift/special-functions.js';

// drift tests on sketches (what the aggregator runs)
export { driftFromSketches } from './sketch-drift/drift-from-sketches.js';
export type { SketchDriftOptions } from './sketch-drift/drift-from-sketches.js';
export { driftSuiteFromSketches } from './sketch-drift/drift-suite-from-sketches.js';
export type { SketchDriftSuiteOptions } from './sketch-drift/drift-suite-from-sketches.js';
export { chooseSketchDriftMethod, detectDriftFromSketches } from './sketch-drift/detect-drift-from-sketches.js';
export type { DetectDriftFromSketchesOptions } from './sketch-drift/detect-drift-from-sketches.js';
export { alignScales, hasNonZeroBuckets, histogramStd, prepareHistogramData, prepareSketch, preparedStd } from './sketch-drift/prepared-sketch.js';
export type { HistogramFacts, PreparedCategories, PreparedHistogram, PreparedSketch } from './sketch-drift/prepared-sketch.js';
export { binSketches } from './sketch-drift/sketch-bins.js';
export type { SketchBins } from './sketch-drift/sketch-bins.js';
export { ksStatisticFromBuckets } from './sketch-drift/ks-sketch.js';
export { meanCorrectedWasserstein, wassersteinFromBuckets } from './sketch-drift/wasserstein-sketch.js';

// sketches
export { ExponentialHistogram } from './sketch/exponential-histogram.js';
export type { ExponentialHistogramOptions } from './sketch/exponential-histogram.js';
export { float64IndexRange, validateExponentialHistogramData } from './sketch/exponential-histogram-data.js';
export type { ExponentialHistogramBuckets, ExponentialHistogramData } from './sketch/exponential-histogram-data.js';
export { MAX_SCALE, MIN_SCALE, lowerBoundary, mapToIndex, relativeBucketWidth } from './sketch/exponential-mapping.js';
export { CategoryCounts, MAX_CATEGORY_LENGTH, OTHER_KEY, TAIL_KEY_PREFIX, tailKey, truncateCategory, validateCategoryCountsData } from './sketch/category-counts.js';
export type { CategoryCountsData, CategoryCountsOptions } from './sketch/category-counts.js';
export { fnv1a32 } from './sketch/fnv1a.js';
export { histogramCdf } from './sketch/histogram-cdf.js';
export { histogramQuantile } from './sketch/histogram-quantile.js';
export { rebinHistogram } from './sketch/rebin-histogram.js';
export { downscaleData } from './sketch/downscale-data.js';
export { bucketsScratch } from './sketch/clamped-buckets.js';
export type { BucketsScratch, ClampedBuckets } from './sketch/clamped-buckets.js';

// reference profile
export { REFERENCE_PROFILE_FORMAT } from './profile/reference-profile.js';
export type { FeatureProfile, FeatureSchema, FeatureType, ReferenceProfile, ReferenceProfileSource } from './profile/reference-profile.js';
export type { FeatureSketch } from './profile/feature-sketch.js';
export { buildReferenceProfile } from './profile/build-reference-profile.js';
export type { BuildReferenceProfileMeta } from './profile/build-reference-profile.js';
export { validateReferenceProfile } from './profile/validate-reference-profile.js';
export { profileToSketch } from './profile/profile-to-sketch.js';
export { featureCategory, featureNumber } from './profile/feature-value.js';
export { UNIQUE_COUNT_CAP } from './profile/feature-accumulator.js';
