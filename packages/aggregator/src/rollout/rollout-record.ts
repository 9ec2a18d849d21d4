import type { MetricStatus, RolloutAction, RolloutPhase, RolloutPolicy, RolloutState } from '@driftwatch/lifecycle';

/**
 * Plain data of a rollout, as persisted (JSON in the `rollouts` table) and served by the rollout API.
 * One model has at most one active rollout; the latest one (active or finished) is what GET returns.
 */

/** Which telemetry stands for the candidate: `ml.deployment.role=canary` (live traffic) or `shadow` (off the hot path). */
export type RolloutMode = 'canary' | 'shadow';
export const ROLLOUT_MODES: readonly RolloutMode[] = ['canary', 'shadow'];

/** What a decision did: the lifecycle step machine's actions plus the manual `start` and `resume`. */
export type DecisionKind = RolloutAction | 'start' | 'resume';
export const DECISION_KINDS: readonly DecisionKind[] = ['start', 'step', 'hold', 'pause', 'resume', 'promote', 'rollback'];

/** `analysis`: the automatic measurement; `manual`: the API, the CLI or a registry alias move. */
export type DecisionSource = 'analysis' | 'manual';
export const DECISION_SOURCES: readonly DecisionSource[] = ['analysis', 'manual'];

export const VERDICTS: readonly MetricStatus[] = ['pass', 'fail', 'inconclusive'];
export const PHASES: readonly RolloutPhase[] = ['progressing', 'paused', 'promoted', 'rolled_back'];

/** Running totals of one side (a model version in one deployment role), as the aggregator counts them. */
export interface TrafficTotals {
  readonly calls: number;
  readonly errors: number;
  /** Call-latency buckets (the SDK's explicit bounds, seconds); null before any call was timed. */
  readonly latency: { readonly bounds: readonly number[]; readonly counts: readonly number[] } | null;
  /** Shadow comparisons with the primary (`ml.model.shadow.comparisons`); absent in rollouts saved before they were counted. */
  readonly comparisons?: { readonly agree: number; readonly disagree: number };
}

/** The open measurement: the totals of both sides when it began; the next measurement is judged on the difference. */
export interface MeasurementWindow {
  readonly startedAtMs: number;
  readonly primary: TrafficTotals;
  readonly candidate: TrafficTotals;
}

/** One check of a measurement (a lifecycle `MetricJudgement` with the check named for metrics). */
export interface CheckResult {
  /** `error_rate`, `latency`, `prediction_drift`, `agreement`, `performance` or `performance_<metric>`. */
  readonly check: string;
  readonly status: MetricStatus;
  readonly blocking: boolean;
  readonly primary: number | null;
  readonly candidate: number | null;
  readonly pValue: number | null;
  readonly reason: string;
}

export interface JudgementRecord {
  readonly verdict: MetricStatus;
  readonly atMs: number;
  /** The measured period: from the previous measurement (or the step's start) to `atMs`. */
  readonly fromMs: number;
  readonly primaryCalls: number;
  readonly candidateCalls: number;
  readonly checks: readonly CheckResult[];
  readonly reasons: readonly string[];
}

export interface DecisionRecord {
  readonly decision: DecisionKind;
  readonly source: DecisionSource;
  readonly weightPercent: number;
  readonly phase: RolloutPhase;
  readonly mode: RolloutMode;
  readonly by: string;
  readonly reasons: readonly string[];
  readonly atMs: number;
}

/**
 * A registry change a decision needs and that has not been written yet (the registry was unreachable): retried
 * every evaluation interval until it succeeds. `promote`: champion → candidate, drop challenger; `rollback`:
 * restore champion (if it points at the candidate) and challenger as they were before the rollout.
 */
export interface AliasSync {
  readonly intent: 'promote' | 'rollback';
  readonly by: string;
  readonly reason: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly sinceMs: number;
}

export interface Rollout {
  readonly id: number;
  readonly model: string;
  /** The current mode; a shadow rollout that passes becomes a canary rollout at the first step. */
  readonly mode: RolloutMode;
  readonly startMode: RolloutMode;
  readonly primaryVersion: string;
  readonly candidateVersion: string;
  /** The policy at start (a config change applies to the next rollout). */
  readonly policy: RolloutPolicy;
  readonly measurementTimeoutMs: number;
  readonly state: RolloutState;
  /** Aliases when the rollout started, restored on rollback. */
  readonly aliasesBefore: { readonly champion: string | null; readonly challenger: string | null };
  readonly window: MeasurementWindow;
  readonly startedAtMs: number;
  readonly startedBy: string;
  readonly reason: string;
  readonly updatedAtMs: number;
  readonly lastDecision: DecisionRecord | null;
  readonly lastJudgement: JudgementRecord | null;
  readonly aliasSync: AliasSync | null;
  /** `${decision}|${source}` → count, for driftwatch_rollout_decisions_total. */
  readonly decisionCounts: Readonly<Record<string, number>>;
  /** verdict → count, for driftwatch_rollout_measurements_total. */
  readonly measurementCounts: Readonly<Record<string, number>>;
}

/** One entry of a rollout's history (`GET /api/v1/models/{model}/rollout/history`). */
export interface RolloutEvent extends DecisionRecord {
  readonly seq: number;
  readonly rolloutId: number;
  readonly model: string;
  readonly candidateVersion: string;
  readonly primaryVersion: string;
  readonly judgement: JudgementRecord | null;
}

/** Still moving: measurements are taken (progressing) or awaited (paused). */
export function isActive(r: Rollout): boolean {
  return r.state.phase === 'progressing' || r.state.phase === 'paused';
}

/** The canary traffic share the SDK should route now: 0 while shadowing (the candidate gets no live traffic). */
export function servedWeightPercent(r: Rollout): number {
  return r.mode === 'shadow' ? 0 : r.state.weight;
}
