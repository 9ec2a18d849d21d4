import type { DriftMethod, DriftResult } from '../types.js';

/** What a drift test accepts: numeric samples, categorical samples (strings, or numbers taken as categories), or vectors. */
export type DataKind = 'numeric' | 'categorical' | 'vectors';

/**
 * How the verdict is taken:
 * - 'p-value-below': drifted when p < threshold (Evidently's chi-square and Z tests; our MMD);
 * - 'p-value-at-or-below': drifted when p ≤ threshold (Evidently's KS test);
 * - 'statistic-at-or-above': drifted when statistic ≥ threshold (Evidently's PSI, JS, Wasserstein, Hellinger).
 */
export type Verdict = 'p-value-below' | 'p-value-at-or-below' | 'statistic-at-or-above';

/** The facts about one drift method that callers (detectDrift, the aggregator, docs) need without running it. */
export interface DriftTestInfo {
  /** Metric label / option value. */
  readonly method: DriftMethod;
  /** Human-readable name. */
  readonly displayName: string;
  /** Kinds of data the test accepts. */
  readonly accepts: readonly DataKind[];
  /** Threshold used when none is given. */
  readonly defaultThreshold: number;
  /** How statistic / p-value are compared with the threshold. */
  readonly verdict: Verdict;
  /** True for tests with a p-value, where a lower p means drift. */
  readonly lowerPValueMeansDrift: boolean;
}

/** A drift test over raw samples: its facts plus the function that runs it. */
export interface DriftTest<TSample, TOptions> extends DriftTestInfo {
  run(reference: TSample, current: TSample, options?: TOptions): DriftResult;
}

/** Applies a verdict rule. */
export function isDrifted(verdict: Verdict, statistic: number, pValue: number | undefined, threshold: number): boolean {
  switch (verdict) {
    case 'p-value-below':
      return pValue !== undefined && pValue < threshold;
    case 'p-value-at-or-below':
      return pValue !== undefined && pValue <= threshold;
    case 'statistic-at-or-above':
      return statistic >= threshold;
  }
}

/** Builds a {@link DriftResult} for `info` and applies its verdict rule. */
export function makeResult(info: DriftTestInfo, statistic: number, threshold: number, pValue?: number): DriftResult {
  const drifted = isDrifted(info.verdict, statistic, pValue, threshold);
  return pValue === undefined ? { method: info.method, statistic, threshold, drifted } : { method: info.method, statistic, pValue, threshold, drifted };
}
