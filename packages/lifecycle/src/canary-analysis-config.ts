import { expectObject, readOptionalBoolean, readOptionalNumber, rejectUnknownKeys } from './config-fields.js';
import type { PlainObject } from './config-fields.js';
import { joinPath } from './validation-error.js';

/**
 * Thresholds of the canary analysis. `blocking`: whether an inconclusive result of the metric
 * (too few samples, no data) makes the whole measurement inconclusive; a failure always fails it.
 */
export interface CanaryAnalysisConfig {
  readonly errorRate: {
    /** Largest tolerated rise of the error ratio, absolute (0.01 = one point). */
    readonly maxIncrease: number;
    readonly alpha: number;
    readonly minSamples: number;
    readonly blocking: boolean;
  };
  readonly latency: {
    readonly quantile: number;
    /** Largest tolerated relative rise of the quantile (0.2 = +20 %). */
    readonly maxIncreaseRatio: number;
    /** Rises smaller than this never fail, whatever the ratio. */
    readonly minDeltaSeconds: number;
    readonly alpha: number;
    readonly minSamples: number;
    readonly blocking: boolean;
  };
  readonly predictionDrift: {
    /** Largest tolerated drift score between canary and primary outputs (e.g. PSI 0.2). */
    readonly maxScore: number;
    readonly minSamples: number;
    readonly blocking: boolean;
  };
  readonly agreement: {
    /** Lowest tolerated share of equal predictions (shadow mode). */
    readonly minRate: number;
    /** Normal quantile of the Wilson interval (1.645 ≈ one-sided 95 %). */
    readonly z: number;
    readonly minSamples: number;
    readonly blocking: boolean;
  };
  readonly performance: {
    /** Largest tolerated loss per metric, absolute (accuracy 0.02 = two points). */
    readonly maxDegradation: number;
    /**
     * One-sided significance a loss of a metric in [0, 1] (accuracy, precision, recall, F1, ROC AUC) must reach to
     * fail, shared by the metrics compared (Bonferroni: each is tested at alpha / metrics).
     */
    readonly alpha: number;
    readonly minSamples: number;
    readonly blocking: boolean;
  };
}

export const DEFAULT_CANARY_ANALYSIS: CanaryAnalysisConfig = {
  errorRate: { maxIncrease: 0.01, alpha: 0.05, minSamples: 200, blocking: true },
  latency: { quantile: 0.95, maxIncreaseRatio: 0.2, minDeltaSeconds: 0.005, alpha: 0.05, minSamples: 200, blocking: true },
  predictionDrift: { maxScore: 0.2, minSamples: 200, blocking: false },
  agreement: { minRate: 0.95, z: 1.645, minSamples: 200, blocking: false },
  performance: { maxDegradation: 0.02, alpha: 0.05, minSamples: 100, blocking: false },
};

function section(raw: PlainObject, key: string, path: string, keys: string[]): PlainObject {
  const value = raw[key];
  if (value === undefined) return {};
  const field = joinPath(path, key);
  const obj = expectObject(value, field);
  rejectUnknownKeys(obj, keys, field);
  return obj;
}

/** Validates the `analysis` block of a rollout config (snake_case); missing values take {@link DEFAULT_CANARY_ANALYSIS}. */
export function parseCanaryAnalysisConfig(raw: unknown, path = 'rollout.analysis'): CanaryAnalysisConfig {
  if (raw === undefined) return DEFAULT_CANARY_ANALYSIS;
  const obj = expectObject(raw, path);
  rejectUnknownKeys(obj, ['error_rate', 'latency', 'prediction_drift', 'agreement', 'performance'], path);
  const d = DEFAULT_CANARY_ANALYSIS;
  const er = section(obj, 'error_rate', path, ['max_increase', 'alpha', 'min_samples', 'blocking']);
  const erPath = joinPath(path, 'error_rate');
  const la = section(obj, 'latency', path, ['quantile', 'max_increase_ratio', 'min_delta_seconds', 'alpha', 'min_samples', 'blocking']);
  const laPath = joinPath(path, 'latency');
  const pd = section(obj, 'prediction_drift', path, ['max_score', 'min_samples', 'blocking']);
  const pdPath = joinPath(path, 'prediction_drift');
  const ag = section(obj, 'agreement', path, ['min_rate', 'z', 'min_samples', 'blocking']);
  const agPath = joinPath(path, 'agreement');
  const pf = section(obj, 'performance', path, ['max_degradation', 'alpha', 'min_samples', 'blocking']);
  const pfPath = joinPath(path, 'performance');
  const samples = { min: 1, integer: true };
  const probability = { min: 0, max: 1 };
  return {
    errorRate: {
      maxIncrease: readOptionalNumber(er, 'max_increase', erPath, d.errorRate.maxIncrease, probability),
      alpha: readOptionalNumber(er, 'alpha', erPath, d.errorRate.alpha, { min: 1e-9, max: 0.5 }),
      minSamples: readOptionalNumber(er, 'min_samples', erPath, d.errorRate.minSamples, samples),
      blocking: readOptionalBoolean(er, 'blocking', erPath, d.errorRate.blocking),
    },
    latency: {
      quantile: readOptionalNumber(la, 'quantile', laPath, d.latency.quantile, { min: 0.01, max: 0.999 }),
      maxIncreaseRatio: readOptionalNumber(la, 'max_increase_ratio', laPath, d.latency.maxIncreaseRatio, { min: 0 }),
      minDeltaSeconds: readOptionalNumber(la, 'min_delta_seconds', laPath, d.latency.minDeltaSeconds, { min: 0 }),
      alpha: readOptionalNumber(la, 'alpha', laPath, d.latency.alpha, { min: 1e-9, max: 0.5 }),
      minSamples: readOptionalNumber(la, 'min_samples', laPath, d.latency.minSamples, samples),
      blocking: readOptionalBoolean(la, 'blocking', laPath, d.latency.blocking),
    },
    predictionDrift: {
      maxScore: readOptionalNumber(pd, 'max_score', pdPath, d.predictionDrift.maxScore, { min: 0 }),
      minSamples: readOptionalNumber(pd, 'min_samples', pdPath, d.predictionDrift.minSamples, samples),
      blocking: readOptionalBoolean(pd, 'blocking', pdPath, d.predictionDrift.blocking),
    },
    agreement: {
      minRate: readOptionalNumber(ag, 'min_rate', agPath, d.agreement.minRate, probability),
      z: readOptionalNumber(ag, 'z', agPath, d.agreement.z, { min: 0 }),
      minSamples: readOptionalNumber(ag, 'min_samples', agPath, d.agreement.minSamples, samples),
      blocking: readOptionalBoolean(ag, 'blocking', agPath, d.agreement.blocking),
    },
    performance: {
      maxDegradation: readOptionalNumber(pf, 'max_degradation', pfPath, d.performance.maxDegradation, { min: 0 }),
      alpha: readOptionalNumber(pf, 'alpha', pfPath, d.performance.alpha, { min: 1e-9, max: 0.5 }),
      minSamples: readOptionalNumber(pf, 'min_samples', pfPath, d.performance.minSamples, samples),
      blocking: readOptionalBoolean(pf, 'blocking', pfPath, d.performance.blocking),
    },
  };
}
