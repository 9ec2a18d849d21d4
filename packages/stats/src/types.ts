/** The method names used across driftwatch (metric label `method`). */
export type DriftMethod = 'psi' | 'ks' | 'chisquare' | 'z' | 'jensenshannon' | 'wasserstein' | 'hellinger' | 'mmd';

/** The outcome of one drift test on one feature. */
export interface DriftResult {
  /** Which test produced this result. */
  readonly method: DriftMethod;
  /** The test statistic (PSI value, KS D, chi-square statistic, distance, …). */
  readonly statistic: number;
  /** The p-value, for tests that have one (ks, chisquare, z, mmd). */
  readonly pValue?: number;
  /** The threshold the verdict was taken against: a p-value bound for tests with a p-value, else a statistic bound. */
  readonly threshold: number;
  /** True when the test says the distributions differ. */
  readonly drifted: boolean;
}
