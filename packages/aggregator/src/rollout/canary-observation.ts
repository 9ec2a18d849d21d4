import type { CanaryObservation, PerformanceComparison, RoleTraffic } from '@driftwatch/lifecycle';
import { driftFromSketches } from '@driftwatch/stats';
import type { FeatureSketch } from '@driftwatch/stats';
import type { EvaluationResult } from '../engine/evaluation-types.js';
import { histogramSketch } from '../engine/evaluate.js';
import { CLASS_OUTPUT, type Role } from '../ingest/conventions.js';
import type { AggregatorState, VersionState } from '../state/aggregator-state.js';
import { confusionIn, effectiveSamples } from './performance-samples.js';
import type { MeasurementWindow, RolloutMode, TrafficTotals } from './rollout-record.js';

const NO_TRAFFIC: TrafficTotals = { calls: 0, errors: 0, latency: null, comparisons: { agree: 0, disagree: 0 } };

/**
 * The running totals of one side: calls (`ml.model.calls`, or the timed calls for producers that do not send it),
 * errors over every `error.type`, and the latency buckets. Zero when the version or role has sent nothing.
 */
export function trafficTotals(state: AggregatorState, model: string, version: string, role: Role): TrafficTotals {
  const t = state.models.get(model)?.versions.get(version)?.roles.get(role);
  if (!t) return NO_TRAFFIC;
  let errors = 0;
  for (const n of t.errors.values()) errors += n;
  const timed = t.duration?.count ?? 0;
  return {
    calls: Math.max(t.calls, timed),
    errors,
    latency: t.duration ? { bounds: [...t.duration.bounds], counts: [...t.duration.counts] } : null,
    comparisons: { ...t.comparisons },
  };
}

/**
 * Shadow agreement between `base` and `now`: comparisons whose outputs agreed, of all compared (the SDK's
 * `ml.model.shadow.comparisons`); undefined when nothing was compared. A counter that went backwards starts over.
 */
export function agreementSince(now: TrafficTotals, base: TrafficTotals): { agreed: number; compared: number } | undefined {
  const n = now.comparisons ?? { agree: 0, disagree: 0 };
  let b = base.comparisons ?? { agree: 0, disagree: 0 };
  if (n.agree < b.agree || n.disagree < b.disagree) b = { agree: 0, disagree: 0 };
  const agreed = n.agree - b.agree;
  const compared = agreed + n.disagree - b.disagree;
  return compared > 0 ? { agreed, compared } : undefined;
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * What happened between `base` and `now` on one side. Totals that went backwards (the version was forgotten and came
 * back, or the latency bounds changed with an SDK upgrade) start over from zero, so a reset never reads as negative.
 * Errors are capped at calls (counters of one export can land a moment apart).
 */
export function trafficSince(now: TrafficTotals, base: TrafficTotals): RoleTraffic {
  const reset = now.calls < base.calls || now.errors < base.errors;
  const from = reset ? NO_TRAFFIC : base;
  const calls = now.calls - from.calls;
  const errors = Math.min(calls, now.errors - from.errors);
  let latency: RoleTraffic['latency'];
  if (now.latency) {
    const prior = !reset && from.latency && sameBounds(from.latency.bounds, now.latency.bounds) ? from.latency.counts : undefined;
    const counts = now.latency.counts.map((c, i) => Math.max(0, c - (prior?.[i] ?? 0)));
    latency = { bounds: now.latency.bounds, counts };
  }
  return latency === undefined ? { calls, errors } : { calls, errors, latency };
}

/** The deployment role whose telemetry stands for the candidate. */
export function candidateRole(mode: RolloutMode): Role {
  return mode === 'shadow' ? 'shadow' : 'canary';
}

export interface OutputDrift {
  readonly output: string;
  /** PSI between the primary's and the candidate's outputs over the measured period. */
  readonly score: number;
  readonly primarySamples: number;
  readonly candidateSamples: number;
}

function outputSketches(v: VersionState, fromMs: number, nowMs: number): Map<string, { sketch: FeatureSketch; samples: number }> {
  const out = new Map<string, { sketch: FeatureSketch; samples: number }>();
  for (const [name, handle] of v.outputs) {
    const h = handle.series.capture(fromMs, nowMs, nowMs);
    if (h.count > 0) out.set(name, { sketch: { kind: 'numeric', histogram: histogramSketch(h) }, samples: h.count });
  }
  if (v.outputClasses && !v.outputs.has(CLASS_OUTPUT)) {
    const c = v.outputClasses.series.capture(fromMs, nowMs, nowMs);
    if (c.total > 0) out.set(CLASS_OUTPUT, { sketch: { kind: 'categorical', counts: c.toCategoryCounts() }, samples: c.total });
  }
  return out;
}

/**
 * Prediction drift between the two output distributions (every output both versions have: numeric outputs as
 * histograms, predicted classes as counts), over the slices overlapping `[fromMs, nowMs)` — so rounded out to slice
 * boundaries. PSI (stats `driftFromSketches`), the scale of the default `prediction_drift.max_score` 0.2.
 * Cost: O(outputs × buckets).
 */
export function outputDrift(state: AggregatorState, model: string, primaryVersion: string, candidateVersion: string, fromMs: number, nowMs: number): OutputDrift[] {
  const m = state.models.get(model);
  const p = m?.versions.get(primaryVersion);
  const c = m?.versions.get(candidateVersion);
  if (!p || !c) return [];
  const primary = outputSketches(p, fromMs, nowMs);
  const candidate = outputSketches(c, fromMs, nowMs);
  const out: OutputDrift[] = [];
  for (const [output, ps] of primary) {
    const cs = candidate.get(output);
    if (!cs || cs.sketch.kind !== ps.sketch.kind) continue;
    try {
      const r = driftFromSketches('psi', ps.sketch, cs.sketch);
      if (Number.isFinite(r.statistic)) out.push({ output, score: r.statistic, primarySamples: ps.samples, candidateSamples: cs.samples });
    } catch {
      // an output PSI cannot bin (e.g. a single value on both sides): not comparable, leave it out
    }
  }
  return out.sort((a, b) => a.output.localeCompare(b.output));
}

/** The output the measurement is judged on: the most drifted one with the minimum sample, else the best-sampled. */
export function judgedOutput(drifts: readonly OutputDrift[], minSamples: number): OutputDrift | undefined {
  const enough = drifts.filter((d) => Math.min(d.primarySamples, d.candidateSamples) >= minSamples);
  const pool = enough.length > 0 ? enough : drifts;
  const key = (d: OutputDrift): number => (enough.length > 0 ? d.score : Math.min(d.primarySamples, d.candidateSamples));
  return pool.reduce<OutputDrift | undefined>((best, d) => (best === undefined || key(d) > key(best) ? d : best), undefined);
}

/** The effective sample of each classification metric of one version (`effectiveSamples` of its confusion matrix). */
export type EffectiveSamplesOf = (version: string, positiveClass: string | undefined) => ReadonlyMap<string, number>;

/**
 * Performance of both versions from the latest evaluation, in their shortest window: one comparison per metric both
 * have (the engine publishes a metric only with the minimum feedback sample), with the rows each classification
 * metric is a proportion of when `effective` is given (precision: predicted positives, recall: actual positives…),
 * so the analysis weighs a difference against the noise of those rows rather than of every label.
 */
export function performancePairs(
  evaluation: EvaluationResult | undefined,
  model: string,
  primaryVersion: string,
  candidateVersion: string,
  windowName: string | undefined,
  effective?: EffectiveSamplesOf,
): PerformanceComparison[] {
  const m = evaluation?.models.find((x) => x.model === model);
  const windowOf = (version: string) => m?.versions.find((v) => v.version === version)?.windows.find((w) => w.window === windowName);
  const p = windowOf(primaryVersion);
  const c = windowOf(candidateVersion);
  if (!p || !c) return [];
  const pe = effective?.(primaryVersion, p.performance.positiveClass);
  const ce = effective?.(candidateVersion, c.performance.positiveClass);
  const side = (value: number, samples: number, n: number | undefined) => (n === undefined ? { value, samples } : { value, samples, effectiveSamples: n });
  const out: PerformanceComparison[] = [];
  for (const [metric, value] of p.performance.metrics) {
    const cv = c.performance.metrics.get(metric);
    if (cv === undefined) continue;
    out.push({ metric, primary: side(value, p.performance.feedbackSamples, pe?.get(metric)), canary: side(cv, c.performance.feedbackSamples, ce?.get(metric)) });
  }
  return out;
}

export interface MeasuredObservation {
  readonly observation: CanaryObservation;
  readonly outputs: readonly OutputDrift[];
  readonly now: { readonly primary: TrafficTotals; readonly candidate: TrafficTotals };
}

/**
 * One measurement's input for `judgeCanary`, from the aggregator's own per-role data: traffic (calls, errors, latency
 * buckets) since the window began, prediction drift between the two versions' outputs over that period, and
 * performance once labels came, and — for a shadow candidate — the agreement rate the SDK reports
 * (`ml.model.shadow.comparisons`; a canary serves other requests than the primary, so it has none).
 */
export function observeCanary(
  state: AggregatorState,
  evaluation: EvaluationResult | undefined,
  rollout: { readonly model: string; readonly primaryVersion: string; readonly candidateVersion: string; readonly mode: RolloutMode; readonly window: MeasurementWindow },
  predictionDriftMinSamples: number,
  nowMs: number,
): MeasuredObservation {
  const { model, primaryVersion, candidateVersion, mode, window } = rollout;
  const now = { primary: trafficTotals(state, model, primaryVersion, 'primary'), candidate: trafficTotals(state, model, candidateVersion, candidateRole(mode)) };
  const primary = trafficSince(now.primary, window.primary);
  const candidate = trafficSince(now.candidate, window.candidate);
  // explicit bounds must agree for the Mann-Whitney test; two SDK versions with other bounds give no latency verdict
  const comparable = primary.latency && candidate.latency && sameBounds(primary.latency.bounds, candidate.latency.bounds);
  const outputs = outputDrift(state, model, primaryVersion, candidateVersion, window.startedAtMs, nowMs);
  const judged = judgedOutput(outputs, predictionDriftMinSamples);
  const windows = state.models.get(model)?.config.windows ?? [];
  const shortest = [...windows].sort((a, b) => a.durationMs - b.durationMs)[0]?.name;
  const effective: EffectiveSamplesOf = (version, positiveClass) => (shortest === undefined ? new Map() : effectiveSamples(confusionIn(state, model, version, shortest, nowMs), positiveClass));
  const performance = performancePairs(evaluation, model, primaryVersion, candidateVersion, shortest, effective);
  const agreement = mode === 'shadow' ? agreementSince(now.candidate, window.candidate) : undefined;
  const observation: CanaryObservation = {
    primary: comparable ? primary : { calls: primary.calls, errors: primary.errors },
    canary: comparable ? candidate : { calls: candidate.calls, errors: candidate.errors },
    ...(judged ? { predictionDrift: { score: judged.score, primarySamples: judged.primarySamples, canarySamples: judged.candidateSamples } } : {}),
    ...(performance.length > 0 ? { performance } : {}),
    ...(agreement ? { agreement } : {}),
  };
  return { observation, outputs, now };
}
