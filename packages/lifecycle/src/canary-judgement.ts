import { histogramQuantile, histogramTotal, mannWhitneyGreater } from './bucketed-histogram.js';
import type { BucketedHistogram } from './bucketed-histogram.js';
import type { CanaryAnalysisConfig } from './canary-analysis-config.js';
import { normalSurvival } from './normal-distribution.js';
import { fisherExactGreater, twoProportionGreater, wilsonInterval } from './proportion-tests.js';

/** Traffic of one deployment role over the measurement window. */
export interface RoleTraffic {
  /** Calls received (`driftwatch_prediction_duration_seconds_count`). */
  readonly calls: number;
  /** Calls that failed (`driftwatch_prediction_errors_total`). */
  readonly errors: number;
  /** Call latency in seconds over the SDK's explicit buckets. */
  readonly latency?: BucketedHistogram;
}

/** One version's value of a metric. */
export interface PerformanceSample {
  readonly value: number;
  /** Joined labels behind the value (`min_samples` is checked on these). */
  readonly samples: number;
  /**
   * The sample the value is a proportion of, when it is smaller than the labels: the predicted positives for
   * precision, the actual positives for recall, the smaller class for ROC AUC. Default `samples`.
   */
  readonly effectiveSamples?: number;
}

export interface PerformanceComparison {
  /** e.g. `accuracy`, `roc_auc`, `mae`. */
  readonly metric: string;
  readonly primary: PerformanceSample;
  readonly canary: PerformanceSample;
  /** Default: false for mae, rmse, mse, mape, log_loss; true otherwise. */
  readonly higherIsBetter?: boolean;
}

/** One measurement of candidate (canary) against primary: plain numbers from the aggregator. */
export interface CanaryObservation {
  readonly primary: RoleTraffic;
  readonly canary: RoleTraffic;
  /** Drift score between canary and primary outputs (e.g. PSI), with the sample sizes behind it. */
  readonly predictionDrift?: { readonly score: number; readonly primarySamples: number; readonly canarySamples: number };
  /** Shadow comparisons: how many inputs got the same prediction from both. */
  readonly agreement?: { readonly agreed: number; readonly compared: number };
  /** Once labels arrive: metric pairs. */
  readonly performance?: readonly PerformanceComparison[];
}

export type MetricStatus = 'pass' | 'fail' | 'inconclusive';

export interface MetricJudgement {
  /** `error_rate`, `latency`, `prediction_drift`, `agreement` or `performance:<metric>`. */
  readonly metric: string;
  readonly status: MetricStatus;
  /** Whether an inconclusive result holds the measurement (failures always count). */
  readonly blocking: boolean;
  readonly canary: number | null;
  readonly primary: number | null;
  readonly pValue: number | null;
  readonly reason: string;
}

export interface CanaryJudgement {
  /** fail if any metric fails; else inconclusive if a blocking metric is; else pass. */
  readonly verdict: MetricStatus;
  readonly metrics: readonly MetricJudgement[];
  /** The reasons of the failing / inconclusive metrics (or all, when passing). */
  readonly reasons: readonly string[];
}

const LOWER_IS_BETTER = new Set(['mae', 'rmse', 'mse', 'mape', 'log_loss']);
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

function judgeErrorRate(config: CanaryAnalysisConfig['errorRate'], obs: CanaryObservation): MetricJudgement {
  const { primary, canary } = obs;
  for (const [role, t] of [['primary', primary], ['canary', canary]] as const) {
    if (!(t.calls >= 0 && t.errors >= 0 && t.errors <= t.calls)) throw new Error(`${role} traffic needs 0 ≤ errors ≤ calls`);
  }
  const base = { metric: 'error_rate', blocking: config.blocking };
  const n = Math.min(primary.calls, canary.calls);
  if (n < config.minSamples) {
    return { ...base, status: 'inconclusive', canary: null, primary: null, pValue: null, reason: `error rate: ${n} calls < ${config.minSamples} needed` };
  }
  const rc = canary.errors / canary.calls;
  const rp = primary.errors / primary.calls;
  const { pValue } = twoProportionGreater(canary.errors, canary.calls, primary.errors, primary.calls);
  const worse = pValue < config.alpha && rc - rp > config.maxIncrease;
  return {
    ...base,
    status: worse ? 'fail' : 'pass',
    canary: rc,
    primary: rp,
    pValue,
    reason: `error rate canary ${pct(rc)} vs primary ${pct(rp)} (p=${num(pValue)}, tolerance +${pct(config.maxIncrease)})`,
  };
}

function judgeLatency(config: CanaryAnalysisConfig['latency'], obs: CanaryObservation): MetricJudgement {
  const base = { metric: 'latency', blocking: config.blocking };
  const { latency: hc } = obs.canary;
  const { latency: hp } = obs.primary;
  if (hc === undefined || hp === undefined) {
    return { ...base, status: 'inconclusive', canary: null, primary: null, pValue: null, reason: 'latency: no histogram' };
  }
  const n = Math.min(histogramTotal(hc), histogramTotal(hp));
  if (n < config.minSamples) {
    return { ...base, status: 'inconclusive', canary: null, primary: null, pValue: null, reason: `latency: ${n} calls < ${config.minSamples} needed` };
  }
  const qc = histogramQuantile(hc, config.quantile);
  const qp = histogramQuantile(hp, config.quantile);
  const { pValue } = mannWhitneyGreater(hc, hp, normalSurvival);
  const slower = pValue < config.alpha && qc > qp * (1 + config.maxIncreaseRatio) && qc - qp > config.minDeltaSeconds;
  const label = `p${Math.round(config.quantile * 1000) / 10}`;
  return {
    ...base,
    status: slower ? 'fail' : 'pass',
    canary: qc,
    primary: qp,
    pValue,
    reason: `latency ${label} canary ${num(qc)}s vs primary ${num(qp)}s (Mann-Whitney p=${num(pValue)}, tolerance +${Math.round(config.maxIncreaseRatio * 100)}%)`,
  };
}

function judgePredictionDrift(config: CanaryAnalysisConfig['predictionDrift'], obs: CanaryObservation): MetricJudgement {
  const base = { metric: 'prediction_drift', blocking: config.blocking, primary: null, pValue: null };
  const drift = obs.predictionDrift;
  if (drift === undefined) return { ...base, status: 'inconclusive', canary: null, reason: 'prediction drift: no data' };
  const n = Math.min(drift.primarySamples, drift.canarySamples);
  if (n < config.minSamples) {
    return { ...base, status: 'inconclusive', canary: null, reason: `prediction drift: ${n} predictions < ${config.minSamples} needed` };
  }
  if (!Number.isFinite(drift.score)) throw new Error('prediction drift score must be a finite number');
  return {
    ...base,
    status: drift.score > config.maxScore ? 'fail' : 'pass',
    canary: drift.score,
    reason: `prediction drift canary vs primary ${num(drift.score)} (limit ${num(config.maxScore)})`,
  };
}

function judgeAgreement(config: CanaryAnalysisConfig['agreement'], obs: CanaryObservation): MetricJudgement {
  const base = { metric: 'agreement', blocking: config.blocking, primary: null, pValue: null };
  const agreement = obs.agreement;
  if (agreement === undefined) return { ...base, status: 'inconclusive', canary: null, reason: 'agreement: no shadow comparisons' };
  if (agreement.compared < config.minSamples) {
    return { ...base, status: 'inconclusive', canary: null, reason: `agreement: ${agreement.compared} comparisons < ${config.minSamples} needed` };
  }
  const rate = agreement.agreed / agreement.compared;
  const { high } = wilsonInterval(agreement.agreed, agreement.compared, config.z);
  const status: MetricStatus = high < config.minRate ? 'fail' : rate >= config.minRate ? 'pass' : 'inconclusive';
  return {
    ...base,
    status,
    canary: rate,
    reason: `agreement ${pct(rate)} (upper bound ${pct(high)}) vs minimum ${pct(config.minRate)}`,
  };
}

/**
 * One-sided p-value of the canary's loss on a metric in [0, 1] (higher is better), treating each value as a
 * proportion over its effective sample n (`effectiveSamples`, else the labels): Fisher's exact test of
 * v_p·n_p successes in n_p against v_c·n_c in n_c (`fisherExactGreater`, counts rounded to whole numbers).
 * Exact rather than a z-test because the canary's sample is small and skewed (recall from ~25 actual positives):
 * there the normal tail overstates the evidence, so an equal candidate failed several times more often than alpha
 * (the pooled z-test 7.9× at p < 1e-4 on 15 rows at rate 0.8, the unpooled Wald test 11× on 15 at 0.55). Without
 * `effectiveSamples` the test is optimistic for precision, recall, F1 and ROC AUC, whose sample is smaller than the
 * labels. Null when the metric is not in [0, 1] or not higher-is-better (MAE, RMSE, log loss: their variance is not
 * known here). Reference: Agresti, Categorical Data Analysis (3rd ed.), §3.5.1. Cost: O(√n) terms at most.
 */
function lossPValue(pair: PerformanceComparison, higherIsBetter: boolean): number | null {
  const vp = pair.primary.value;
  const vc = pair.canary.value;
  if (!higherIsBetter || !(vp >= 0 && vp <= 1 && vc >= 0 && vc <= 1)) return null;
  const np = pair.primary.effectiveSamples ?? pair.primary.samples;
  const nc = pair.canary.effectiveSamples ?? pair.canary.samples;
  // a metric computed from no rows on one side is no evidence
  if (!(Math.round(np) >= 1 && Math.round(nc) >= 1)) return 1;
  return fisherExactGreater(vp * np, np, vc * nc, nc).pValue;
}

function judgePerformance(config: CanaryAnalysisConfig['performance'], obs: CanaryObservation): MetricJudgement[] {
  const pairs = obs.performance ?? [];
  if (pairs.length === 0) {
    return [{ metric: 'performance', status: 'inconclusive', blocking: config.blocking, canary: null, primary: null, pValue: null, reason: 'performance: no labels yet' }];
  }
  // the metrics share the significance level: several correlated metrics do not fail a candidate more often than one
  const alpha = config.alpha / pairs.length;
  return pairs.map((pair) => {
    const base = { metric: `performance:${pair.metric}`, blocking: config.blocking };
    const n = Math.min(pair.primary.samples, pair.canary.samples);
    if (n < config.minSamples) {
      return { ...base, status: 'inconclusive' as const, canary: null, primary: null, pValue: null, reason: `${pair.metric}: ${n} labels < ${config.minSamples} needed` };
    }
    const higherIsBetter = pair.higherIsBetter ?? !LOWER_IS_BETTER.has(pair.metric);
    const loss = higherIsBetter ? pair.primary.value - pair.canary.value : pair.canary.value - pair.primary.value;
    const pValue = lossPValue(pair, higherIsBetter);
    const worse = loss > config.maxDegradation && (pValue === null || pValue < alpha);
    return {
      ...base,
      status: worse ? ('fail' as const) : ('pass' as const),
      canary: pair.canary.value,
      primary: pair.primary.value,
      pValue,
      reason: `${pair.metric} canary ${num(pair.canary.value)} vs primary ${num(pair.primary.value)} (${pValue === null ? '' : `p=${num(pValue)}, `}tolerance ${num(config.maxDegradation)})`,
    };
  });
}

/**
 * Kayenta-style comparison of the candidate (canary) with the primary on one measurement window:
 * each metric passes, fails or is inconclusive (not enough samples or no data).
 *
 * - error rate: fails when the canary's error ratio is higher with one-sided two-proportion
 *   p < alpha AND by more than `max_increase` (significance and effect size, as Kayenta does);
 * - latency: fails when the canary is slower by a one-sided Mann–Whitney test on the bucketed
 *   latencies (p < alpha) AND its quantile exceeds the primary's by more than the ratio and the delta;
 * - prediction drift between the two output distributions: fails above `max_score`;
 * - agreement (shadow): fails when the Wilson upper bound is below `min_rate`, inconclusive when the
 *   rate is below it without that confidence;
 * - performance per labelled metric: fails when worse by more than `max_degradation` AND, for metrics in [0, 1],
 *   the loss is significant (one-sided p < alpha / metrics compared; MAE, RMSE and log loss: the tolerance alone).
 *
 * Pure; throws a clear Error on impossible input (errors > calls, mismatched histogram bounds).
 * Cost: O(histogram buckets + performance metrics).
 */
export function judgeCanary(config: CanaryAnalysisConfig, observation: CanaryObservation): CanaryJudgement {
  const metrics: MetricJudgement[] = [
    judgeErrorRate(config.errorRate, observation),
    judgeLatency(config.latency, observation),
    judgePredictionDrift(config.predictionDrift, observation),
    judgeAgreement(config.agreement, observation),
    ...judgePerformance(config.performance, observation),
  ];
  const failed = metrics.filter((m) => m.status === 'fail');
  const holding = metrics.filter((m) => m.status === 'inconclusive' && m.blocking);
  if (failed.length > 0) return { verdict: 'fail', metrics, reasons: failed.map((m) => m.reason) };
  if (holding.length > 0) return { verdict: 'inconclusive', metrics, reasons: holding.map((m) => m.reason) };
  return { verdict: 'pass', metrics, reasons: metrics.filter((m) => m.status === 'pass').map((m) => m.reason) };
}
