import type { FeatureDriftObservation, RetrainingPolicy, TriggerObservations } from '@driftwatch/lifecycle';
import type { WindowConfig } from '../config/aggregator-config.js';
import type { ModelEvaluation, WindowEvaluation } from '../engine/evaluation-types.js';

/** The version and window a model's triggers are judged on. */
export interface ServingWindow {
  readonly version: string;
  readonly window: WindowEvaluation;
}

/** The model's shortest window: the one that reacts first, and what `sustained_for` durations are measured against. */
export function triggerWindow(windows: readonly WindowConfig[]): WindowConfig | undefined {
  return [...windows].sort((a, b) => a.durationMs - b.durationMs)[0];
}

/**
 * The serving version's evaluation in the trigger window: the version with the most predictions in that window
 * (primary traffic dominates a canary or shadow), ties broken by the latest last-seen time. Undefined when the
 * model has no version with traffic in the window.
 */
export function servingWindow(model: ModelEvaluation, windowName: string): ServingWindow | undefined {
  let best: { version: string; window: WindowEvaluation; lastSeenMs: number } | undefined;
  for (const v of model.versions) {
    const w = v.windows.find((x) => x.window === windowName);
    if (!w || w.predictions <= 0) continue;
    if (!best || w.predictions > best.window.predictions || (w.predictions === best.window.predictions && v.lastSeenMs > best.lastSeenMs)) {
      best = { version: v.version, window: w, lastSeenMs: v.lastSeenMs };
    }
  }
  return best && { version: best.version, window: best.window };
}

/**
 * What `evaluateTriggers` sees of one evaluation (alerts are added by the caller):
 * - `driftShare`: `driftwatch_model_drift_share` of the serving version's trigger window;
 * - `featureDrift`: the primary verdict (`driftwatch_feature_drift_detected`) of each feature the policy lists,
 *   matched by name or by its base name (`emb` for `emb.norm`); the drifted-since time is tracked in the trigger state;
 * - `performance` / `feedbackSamples`: `driftwatch_model_performance` and `driftwatch_model_feedback_samples`
 *   (the policy's objectives default to the model's SLA thresholds, see retraining-config.ts);
 * - `labelledRecords`: labelled prediction records received (the records store's running total).
 */
export function triggerObservations(policy: RetrainingPolicy, serving: ServingWindow | undefined, labelledRecords: number | undefined): TriggerObservations {
  const out: { -readonly [K in keyof TriggerObservations]: TriggerObservations[K] } = {};
  if (labelledRecords !== undefined) out.labelledRecords = labelledRecords;
  if (!serving) return out;
  const w = serving.window;
  if (w.driftShare !== undefined) out.driftShare = w.driftShare;
  if (policy.drift && policy.drift.features.length > 0) {
    const featureDrift: Record<string, FeatureDriftObservation> = Object.create(null) as Record<string, FeatureDriftObservation>;
    for (const name of policy.drift.features) {
      const matches = w.features.filter((f) => f.feature === name || f.feature.replace(/\.(norm|length)$/, '') === name);
      const judged = matches.filter((f) => f.primary !== undefined);
      if (judged.length > 0) featureDrift[name] = { drifted: judged.some((f) => f.primary?.drifted === true) };
    }
    out.featureDrift = featureDrift;
  }
  out.feedbackSamples = w.performance.feedbackSamples;
  if (w.performance.metrics.size > 0) out.performance = Object.fromEntries(w.performance.metrics);
  return out;
}
