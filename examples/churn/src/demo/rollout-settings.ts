/**
 * The settings the rollout scenarios (`retrain`, `bad-candidate`) shorten so that a whole canary fits in seconds,
 * all set through the aggregator config (`rollout`, `records`, `retraining`, `models.churn.retraining`) and the
 * model server's SDK options, and printed at the start of the scenario next to the defaults they replace.
 */
import { DEFAULT_CANARY_ANALYSIS } from '@driftwatch/lifecycle';
import { DEMO_EVALUATION_INTERVAL, DEMO_EXPORT_INTERVAL_MILLIS } from './demo-stack.js';

export interface RolloutTimings {
  /** how often the model server's SDK polls the rollout weight and the `champion` alias (SDK default 10 s) */
  readonly sdkPollMillis: number;
  /** passing measurements before the weight moves on (default 3) */
  readonly measurementsPerStep: number;
  /** calls each side needs before a measurement is judged: error rate, latency and prediction drift (default 200) */
  readonly minCalls: number;
  /** labels each version needs before performance is compared (default 100) */
  readonly performanceMinSamples: number;
  /** a measurement is taken after this long with whatever came (default 5m) */
  readonly measurementTimeout: string;
  /**
   * Largest PSI between the candidate's and the primary's scores (default 0.2). A model retrained after concept
   * drift scores the same customers differently from the stale champion by design: PSI ≈ 0.3–0.4 from 100+ calls a
   * side in the `retrain` scenario, and 0.17–1.14 from the 60–90 canary calls of a 10% step, where small-sample noise
   * (an emptier bin) dominates. The inverted candidate of `bad-candidate` scores 6.8–8.0. 2.5 sits between the two, so
   * the demo judges retrained candidates on errors, latency and labels (performance), and still stops a broken one.
   */
  readonly predictionDriftMaxScore: number;
  /**
   * One-sided significance a candidate's loss on a labelled metric must reach to fail the measurement (default 0.05,
   * shared by the metrics compared). Each measurement of a healthy candidate fails with about this probability, so
   * the tests that need a healthy candidate promoted lower it.
   */
  readonly performanceAlpha: number;
  /** longest the rollout may take before the scenario gives up */
  readonly maxRolloutSeconds: number;
}

export const DEFAULT_ROLLOUT_TIMINGS: RolloutTimings = {
  sdkPollMillis: 500,
  measurementsPerStep: 2,
  minCalls: 60,
  performanceMinSamples: 50,
  measurementTimeout: '20s',
  predictionDriftMaxScore: 2.5,
  performanceAlpha: DEFAULT_CANARY_ANALYSIS.performance.alpha,
  maxRolloutSeconds: 60,
};

/** The steps of the issue, unchanged. */
export const ROLLOUT_STEPS = [10, 25, 50, 100] as const;

/** The top-level `rollout` section of the aggregator config for `timings`. */
export function rolloutSection(timings: RolloutTimings): Record<string, unknown> {
  return {
    steps: [...ROLLOUT_STEPS],
    measurements_per_step: timings.measurementsPerStep,
    failure_limit: 0,
    inconclusive_limit: 3,
    measurement_timeout: timings.measurementTimeout,
    analysis: {
      error_rate: { min_samples: timings.minCalls },
      latency: { min_samples: timings.minCalls },
      prediction_drift: { min_samples: timings.minCalls, max_score: timings.predictionDriftMaxScore },
      performance: { min_samples: timings.performanceMinSamples, alpha: timings.performanceAlpha },
    },
  };
}

/** What the rollout scenarios shorten, one line each: `what: demo value (default …)`; `ratePerSecond` is the traffic's (`--rate`). */
export function shortenedRolloutLines(timings: RolloutTimings, ratePerSecond: number): string[] {
  return [
    `aggregator evaluation and rollout analysis every ${DEMO_EVALUATION_INTERVAL} (default 15s); SDK exports every ${DEMO_EXPORT_INTERVAL_MILLIS / 1000} s (default 10 s)`,
    `SDK polls the rollout weight and the champion alias every ${timings.sdkPollMillis / 1000} s (default 10 s)`,
    `canary steps ${ROLLOUT_STEPS.join(' → ')} (unchanged), ${timings.measurementsPerStep} passing measurements per step (default 3), measurement timeout ${timings.measurementTimeout} (default 5m)`,
    `a measurement from ${timings.minCalls} calls per side (default 200), performance compared from ${timings.performanceMinSamples} labels (default 100)${timings.performanceAlpha === DEFAULT_CANARY_ANALYSIS.performance.alpha ? '' : ` at significance ${timings.performanceAlpha} (default ${DEFAULT_CANARY_ANALYSIS.performance.alpha})`}`,
    `prediction drift limit between candidate and champion PSI ${timings.predictionDriftMaxScore} (default 0.2: a model retrained after concept drift scores differently from the stale champion by design, PSI 0.17–1.14 from a 10% step's calls; labels judge it)`,
    `canary traffic ${ratePerSecond} rows/s (--rate), one row per request: the SDK routes each request by a hash of its prediction id (below ~100 rows/s a 10% canary gets too few calls per measurement)`,
  ];
}
