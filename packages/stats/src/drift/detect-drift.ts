import type { DriftMethod, DriftResult } from '../types.js';
import type { BinningOptions } from './binning.js';
import { distinctSorted, sortedCopy } from './binning.js';
import { chiSquareDriftTest } from './chi-square.js';
import type { DataKind, DriftTestInfo } from './drift-test.js';
import { hellingerTest } from './hellinger.js';
import { jensenShannonTest } from './jensen-shannon.js';
import { ksDriftTest } from './ks.js';
import { mmdDriftTest } from './mmd.js';
import { psiTest } from './psi.js';
import { assertNumericSample, assertStringSample, resolveThreshold, sampleKind } from './validate.js';
import { wassersteinTest } from './wasserstein.js';
import { zDriftTest } from './z-test.js';

/** Facts of every drift method, by method name. */
export const DRIFT_TESTS: Readonly<Record<DriftMethod, DriftTestInfo>> = {
  psi: psiTest,
  ks: ksDriftTest,
  chisquare: chiSquareDriftTest,
  z: zDriftTest,
  jensenshannon: jensenShannonTest,
  wasserstein: wassersteinTest,
  hellinger: hellingerTest,
  mmd: mmdDriftTest,
};

/** Reference sizes up to this use the statistical tests (KS, chi-square, Z); above it the distances (Evidently). */
export const DEFAULT_LARGE_REFERENCE_ROWS = 1000;
/** Numeric features with at most this many distinct values are handled like categorical ones (Evidently). */
export const DEFAULT_MAX_FEW_VALUES = 5;

export interface MethodChoiceOptions {
  /** Use this method instead of the default choice. */
  readonly method?: DriftMethod;
  /** Reference sizes above this use distances (default 1000). */
  readonly largeReferenceRows?: number;
  /** Numeric data with at most this many distinct values counts as few-valued (default 5). */
  readonly maxFewValues?: number;
}

export interface DetectDriftOptions extends MethodChoiceOptions, BinningOptions {
  /** Threshold of the method that runs (overrides `thresholds` and the method's default). */
  readonly threshold?: number;
  /** Per-method thresholds, used when `threshold` is not given. */
  readonly thresholds?: Partial<Record<DriftMethod, number>>;
  /** Treat the data as this kind; by default numbers are numeric, strings categorical, arrays vectors. */
  readonly kind?: 'numeric' | 'categorical';
  /** Logarithm base of the Jensen–Shannon distance (default e). */
  readonly base?: number;
  /** MMD permutations (default 100). */
  readonly permutations?: number;
  /** MMD permutation seed (default 0). */
  readonly seed?: number;
}

/** What the default method choice looks at. */
export interface MethodChoiceInput {
  readonly kind: DataKind;
  /** Reference rows. */
  readonly referenceCount: number;
  /** Distinct values (Evidently counts them over reference ∪ current; sketches use the reference's count). */
  readonly uniqueCount: number;
}

/**
 * Evidently's default method choice (`_get_default_stattest`):
 * reference ≤ 1000 rows — numeric: KS, or with ≤ 5 distinct values chi-square (Z when ≤ 2); categorical: chi-square (Z when ≤ 2);
 * reference > 1000 rows — numeric: normed Wasserstein, or JS with ≤ 5 distinct values; categorical: JS.
 * Vectors: MMD. `options.method` overrides.
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/stattests/registry.py . Cost: O(1).
 */
export function chooseDriftMethod(input: MethodChoiceInput, options: MethodChoiceOptions = {}): DriftMethod {
  if (options.method !== undefined) {
    if (!(options.method in DRIFT_TESTS)) throw new Error(`detectDrift: options.method '${String(options.method)}' is not one of ${Object.keys(DRIFT_TESTS).join(', ')}`);
    return options.method;
  }
  if (input.kind === 'vectors') return 'mmd';
  const large = input.referenceCount > (options.largeReferenceRows ?? DEFAULT_LARGE_REFERENCE_ROWS);
  const few = input.kind === 'categorical' || input.uniqueCount <= (options.maxFewValues ?? DEFAULT_MAX_FEW_VALUES);
  if (large) return input.kind === 'numeric' && !few ? 'wasserstein' : 'jensenshannon';
  if (!few) return 'ks';
  return input.uniqueCount > 2 ? 'chisquare' : 'z';
}

/** The threshold to use for `method`: options.threshold, else options.thresholds[method], else the method's default. */
export function thresholdFor(method: DriftMethod, options: { threshold?: number; thresholds?: Partial<Record<DriftMethod, number>> }): number {
  const info = DRIFT_TESTS[method];
  return resolveThreshold('detectDrift', options.threshold ?? options.thresholds?.[method], info.defaultThreshold);
}

type RawSample = readonly number[] | readonly string[] | readonly (readonly number[])[];

/**
 * Runs the drift test Evidently would pick for this feature (see {@link chooseDriftMethod}) and applies its threshold;
 * method, thresholds, kind and the size/uniqueness cut-offs can be overridden.
 * Reference: https://docs.evidentlyai.com/metrics/customize_data_drift . Cost: that of the chosen test plus O(n log n) to count distinct values.
 */
export function detectDrift(reference: RawSample, current: RawSample, options: DetectDriftOptions = {}): DriftResult {
  const first = Array.isArray(reference) ? reference[0] : undefined;
  if (Array.isArray(first)) {
    const method = chooseDriftMethod({ kind: 'vectors', referenceCount: reference.length, uniqueCount: reference.length }, options);
    if (method !== 'mmd') throw new Error(`detectDrift: method '${method}' does not accept vectors`);
    return mmdTestFor(reference as readonly (readonly number[])[], current as readonly (readonly number[])[], options);
  }
  let ref = reference as readonly number[] | readonly string[];
  let cur = current as readonly number[] | readonly string[];
  const natural = sampleKind('detectDrift', 'reference', ref);
  const kind = options.kind ?? natural;
  if (kind !== 'numeric' && kind !== 'categorical') throw new Error(`detectDrift: options.kind must be 'numeric' or 'categorical', got ${String(kind)}`);
  if (natural === 'numeric') {
    assertNumericSample('detectDrift', 'reference', ref);
    assertNumericSample('detectDrift', 'current', cur);
  } else {
    if (kind === 'numeric') throw new Error('detectDrift: options.kind numeric needs numbers, got strings');
    assertStringSample('detectDrift', 'reference', ref);
    assertStringSample('detectDrift', 'current', cur);
  }
  const uniqueCount = natural === 'numeric' ? distinctSorted(sortedCopy([...(ref as readonly number[]), ...(cur as readonly number[])])) : new Set<string>([...(ref as readonly string[]), ...(cur as readonly string[])]).size;
  const method = chooseDriftMethod({ kind, referenceCount: ref.length, uniqueCount }, options);
  const info = DRIFT_TESTS[method];
  if (!info.accepts.includes(kind)) throw new Error(`detectDrift: method '${method}' does not accept ${kind} data`);
  if (kind === 'categorical' && natural === 'numeric') {
    // numbers taken as categories: bin per distinct value, not by Sturges edges
    ref = (ref as readonly number[]).map(String);
    cur = (cur as readonly number[]).map(String);
  }
  const threshold = thresholdFor(method, options);
  const binning: BinningOptions = { ...(options.bins === undefined ? {} : { bins: options.bins }), ...(options.count === undefined ? {} : { count: options.count }) };
  switch (method) {
    case 'psi':
      return psiTest.run(ref, cur, { ...binning, threshold });
    case 'jensenshannon':
      return jensenShannonTest.run(ref, cur, { ...binning, threshold, ...(options.base === undefined ? {} : { base: options.base }) });
    case 'hellinger':
      return hellingerTest.run(ref, cur, { ...binning, threshold });
    case 'chisquare':
      return chiSquareDriftTest.run(ref, cur, { threshold });
    case 'z':
      return zDriftTest.run(ref, cur, { threshold });
    case 'ks':
      return ksDriftTest.run(ref as readonly number[], cur as readonly number[], { threshold });
    case 'wasserstein':
      return wassersteinTest.run(ref as readonly number[], cur as readonly number[], { threshold });
    case 'mmd':
      throw new Error("detectDrift: method 'mmd' needs vectors (arrays of numbers)");
  }
}

function mmdTestFor(reference: readonly (readonly number[])[], current: readonly (readonly number[])[], options: DetectDriftOptions): DriftResult {
  return mmdDriftTest.run(reference, current, {
    threshold: thresholdFor('mmd', options),
    ...(options.permutations === undefined ? {} : { permutations: options.permutations }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
}
