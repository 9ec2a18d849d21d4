import { nextCronMatch } from './cron.js';
import { formatDurationMs } from './duration.js';
import type { RetrainingPolicy } from './retraining-policy.js';

/** What started a retraining. */
export type TriggerKind = 'alert' | 'performance' | 'drift' | 'volume' | 'schedule';

/** The aggregator's per-feature drift verdict. */
export interface FeatureDriftObservation {
  readonly drifted: boolean;
  /** When the current drifted period began (Unix ms), if the aggregator knows it. */
  readonly sinceMs?: number;
}

/** A firing alert routed to this model (see `alertsForModel`). */
export interface AlertObservation {
  readonly alertname: string;
  readonly fingerprint: string;
  readonly startsAtMs: number;
}

/**
 * What the aggregator currently sees for one model: plain numbers, any of them may be absent.
 */
export interface TriggerObservations {
  /** Drifted features / evaluated features, 0–1 (`driftwatch_model_drift_share`). */
  readonly driftShare?: number;
  readonly featureDrift?: Readonly<Record<string, FeatureDriftObservation>>;
  /** Current performance metrics, e.g. `{ accuracy: 0.83, mae: 2.1 }`. */
  readonly performance?: Readonly<Record<string, number>>;
  /** Joined labels behind `performance` (`driftwatch_model_feedback_samples`). */
  readonly feedbackSamples?: number;
  /** Cumulative count of labelled records available for training. */
  readonly labelledRecords?: number;
  readonly alerts?: readonly AlertObservation[];
}

/** Per-model memory between evaluations; plain data the caller stores (and may persist). */
export interface TriggerState {
  readonly lastEvaluatedAtMs: number | null;
  readonly lastFiredAtMs: number | null;
  /** `labelledRecords` when the last retraining was requested (the volume baseline). */
  readonly labelsAtLastTraining: number | null;
  readonly datasetDriftSinceMs: number | null;
  /** First time each listed feature was seen drifted, for observations without `sinceMs`. */
  readonly featureDriftSinceMs: Readonly<Record<string, number>>;
  /** When each performance objective started being breached. */
  readonly performanceBreachSinceMs: Readonly<Record<string, number>>;
  /** Recently handled incident ids (most recent last, at most {@link MAX_HANDLED_INCIDENTS}). */
  readonly handledIncidents: readonly string[];
}

/** One condition that currently asks for a retraining. */
export interface TriggerIncident {
  readonly kind: TriggerKind;
  /** Stable for the whole incident (e.g. `drift:dataset:1714960800000`): the deduplication key. */
  readonly id: string;
  readonly reason: string;
}

export interface TriggerDecision {
  /** True when a retraining should be requested now. */
  readonly fire: boolean;
  /** The incident the retraining is attributed to (highest priority), when `fire`. */
  readonly trigger: TriggerIncident | null;
  /** All new (not yet handled) incidents seen in this evaluation, highest priority first. */
  readonly incidents: readonly TriggerIncident[];
  /** Why incidents did not fire: the policy is disabled, or a retraining was requested too recently. */
  readonly suppressedBy: 'disabled' | 'cooldown' | null;
  readonly reasons: readonly string[];
}

export const MAX_HANDLED_INCIDENTS = 64;

export function initialTriggerState(): TriggerState {
  return {
    lastEvaluatedAtMs: null,
    lastFiredAtMs: null,
    labelsAtLastTraining: null,
    datasetDriftSinceMs: null,
    featureDriftSinceMs: {},
    performanceBreachSinceMs: {},
    handledIncidents: [],
  };
}

const MINUTE_MS = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const held = (ms: number): string => {
  const wholeSeconds = Math.max(0, Math.floor(ms / 1000) * 1000);
  return wholeSeconds === 0 ? '0s' : formatDurationMs(wholeSeconds);
};
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

interface Tracking {
  datasetDriftSinceMs: number | null;
  featureDriftSinceMs: Record<string, number>;
  performanceBreachSinceMs: Record<string, number>;
}

function alertIncidents(policy: RetrainingPolicy, obs: TriggerObservations): TriggerIncident[] {
  if (!policy.alerts) return [];
  return (obs.alerts ?? []).map((alert) => ({
    kind: 'alert' as const,
    id: `alert:${alert.fingerprint}:${alert.startsAtMs}`,
    reason: `alert ${alert.alertname} firing since ${iso(alert.startsAtMs)}`,
  }));
}

function performanceIncidents(
  policy: RetrainingPolicy,
  obs: TriggerObservations,
  prev: TriggerState,
  nowMs: number,
  tracking: Tracking,
): TriggerIncident[] {
  const perf = policy.performance;
  if (perf === null) return [];
  const incidents: TriggerIncident[] = [];
  const trusted = (obs.feedbackSamples ?? 0) >= perf.minSamples;
  const objectives: Array<[string, number, 'min' | 'max']> = [
    ...Object.entries(perf.min).map(([m, v]): [string, number, 'min'] => [m, v, 'min']),
    ...Object.entries(perf.max).map(([m, v]): [string, number, 'max'] => [m, v, 'max']),
  ];
  for (const [metric, bound, side] of objectives) {
    const value = obs.performance?.[metric];
    const key = `${side}:${metric}`;
    const breached = trusted && value !== undefined && Number.isFinite(value) && (side === 'min' ? value < bound : value > bound);
    if (!breached) continue;
    const sinceMs = prev.performanceBreachSinceMs[key] ?? nowMs;
    tracking.performanceBreachSinceMs[key] = sinceMs;
    if (nowMs - sinceMs < perf.sustainedForMs) continue;
    incidents.push({
      kind: 'performance',
      id: `performance:${metric}:${sinceMs}`,
      reason: `${metric} ${fmt(value)} ${side === 'min' ? '<' : '>'} objective ${fmt(bound)} for ${held(nowMs - sinceMs)} (${obs.feedbackSamples ?? 0} labels)`,
    });
  }
  return incidents;
}

function driftIncidents(
  policy: RetrainingPolicy,
  obs: TriggerObservations,
  prev: TriggerState,
  nowMs: number,
  tracking: Tracking,
): TriggerIncident[] {
  const drift = policy.drift;
  if (drift === null) return [];
  const incidents: TriggerIncident[] = [];
  const share = obs.driftShare;
  if (drift.share !== null && share !== undefined && Number.isFinite(share) && share >= drift.share) {
    const sinceMs = prev.datasetDriftSinceMs ?? nowMs;
    tracking.datasetDriftSinceMs = sinceMs;
    if (nowMs - sinceMs >= drift.sustainedForMs) {
      incidents.push({
        kind: 'drift',
        id: `drift:dataset:${sinceMs}`,
        reason: `drift share ${fmt(share)} ≥ ${fmt(drift.share)} for ${held(nowMs - sinceMs)}`,
      });
    }
  }
  for (const feature of drift.features) {
    const seen = obs.featureDrift?.[feature];
    if (seen === undefined || !seen.drifted) continue;
    const sinceMs = seen.sinceMs ?? prev.featureDriftSinceMs[feature] ?? nowMs;
    tracking.featureDriftSinceMs[feature] = sinceMs;
    if (nowMs - sinceMs < drift.sustainedForMs) continue;
    incidents.push({
      kind: 'drift',
      id: `drift:feature:${feature}:${sinceMs}`,
      reason: `feature ${feature} drifted for ${held(nowMs - sinceMs)}`,
    });
  }
  return incidents;
}

function volumeIncident(policy: RetrainingPolicy, labelled: number | undefined, baseline: number | null): TriggerIncident[] {
  if (policy.volume === null || labelled === undefined || baseline === null) return [];
  const fresh = labelled - baseline;
  if (fresh < policy.volume.newLabels) return [];
  return [
    {
      kind: 'volume',
      id: `volume:${baseline}`,
      reason: `${fresh} new labelled records since the last training ≥ ${policy.volume.newLabels}`,
    },
  ];
}

function scheduleIncident(policy: RetrainingPolicy, prev: TriggerState, nowMs: number): TriggerIncident[] {
  if (policy.schedule === null) return [];
  const fromMs = prev.lastEvaluatedAtMs ?? Math.floor(nowMs / MINUTE_MS) * MINUTE_MS - 1;
  const due = nextCronMatch(policy.schedule, fromMs);
  if (due === null || due > nowMs) return [];
  return [{ kind: 'schedule', id: `schedule:${due}`, reason: `schedule "${policy.schedule.expression}" due at ${iso(due)}` }];
}

/**
 * Decides whether a model needs retraining now. Pure: same inputs, same output; the caller stores
 * `newState` and passes it back next time.
 *
 * Trigger kinds, in priority order (the first one names the retraining): firing Alertmanager
 * alerts (`policy.alerts`), performance below/above the objective for `sustained_for` with at least
 * `min_samples` labels, dataset drift share ≥ `share` or a listed feature drifted for
 * `sustained_for`, `new_labels` labelled records since the last retraining, and the cron schedule
 * (a run due since the previous evaluation; several missed runs coalesce into one).
 *
 * Deduplication: every incident has a stable id (a drift incident keeps its id while the drift
 * lasts); an id that already produced a retraining never fires again. Cooldown: within
 * `cooldown` of the last retraining nothing fires; incidents still active afterwards fire then,
 * while a schedule run that fell inside the cooldown is skipped. Any retraining resets the volume
 * baseline. The first evaluation only sets the volume baseline, so a restart never fires on volume
 * alone; a counter that went backwards (aggregator restart) re-bases too.
 *
 * Cost: O(features + objectives + alerts), plus a bounded cron search.
 */
export function evaluateTriggers(
  policy: RetrainingPolicy,
  observations: TriggerObservations,
  state: TriggerState,
  nowMs: number,
): { decision: TriggerDecision; newState: TriggerState } {
  const tracking: Tracking = { datasetDriftSinceMs: null, featureDriftSinceMs: {}, performanceBreachSinceMs: {} };
  const labelled = observations.labelledRecords;
  let baseline = state.labelsAtLastTraining;
  if (labelled !== undefined && (baseline === null || labelled < baseline)) baseline = labelled;

  const handled = new Set(state.handledIncidents);
  const incidents = [
    ...alertIncidents(policy, observations),
    ...performanceIncidents(policy, observations, state, nowMs, tracking),
    ...driftIncidents(policy, observations, state, nowMs, tracking),
    ...volumeIncident(policy, labelled, baseline),
    ...scheduleIncident(policy, state, nowMs),
  ].filter((incident) => !handled.has(incident.id));

  const carried: TriggerState = {
    ...state,
    lastEvaluatedAtMs: nowMs,
    labelsAtLastTraining: baseline,
    datasetDriftSinceMs: tracking.datasetDriftSinceMs,
    featureDriftSinceMs: tracking.featureDriftSinceMs,
    performanceBreachSinceMs: tracking.performanceBreachSinceMs,
  };
  const quiet = (suppressedBy: TriggerDecision['suppressedBy'], reasons: string[]): { decision: TriggerDecision; newState: TriggerState } => ({
    decision: { fire: false, trigger: null, incidents, suppressedBy, reasons },
    newState: carried,
  });

  if (incidents.length === 0) return quiet(null, []);
  const reasons = incidents.map((incident) => incident.reason);
  if (!policy.enabled) return quiet('disabled', [...reasons, 'retraining is disabled for this model']);
  if (state.lastFiredAtMs !== null && nowMs - state.lastFiredAtMs < policy.cooldownMs) {
    const leftMs = policy.cooldownMs - (nowMs - state.lastFiredAtMs);
    return quiet('cooldown', [...reasons, `in cooldown for another ${held(leftMs)}`]);
  }

  const newHandled = [...state.handledIncidents, ...incidents.map((incident) => incident.id)];
  return {
    decision: { fire: true, trigger: incidents[0] ?? null, incidents, suppressedBy: null, reasons },
    newState: {
      ...carried,
      lastFiredAtMs: nowMs,
      labelsAtLastTraining: labelled ?? baseline,
      handledIncidents: newHandled.slice(-MAX_HANDLED_INCIDENTS),
    },
  };
}
