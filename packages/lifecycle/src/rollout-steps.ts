import { DEFAULT_CANARY_ANALYSIS, parseCanaryAnalysisConfig } from './canary-analysis-config.js';
import type { CanaryAnalysisConfig } from './canary-analysis-config.js';
import type { CanaryJudgement } from './canary-judgement.js';
import { expectObject, readOptionalNumber, rejectUnknownKeys } from './config-fields.js';
import { ValidationError, joinPath } from './validation-error.js';

/** How a canary rollout proceeds (Argo Rollouts-style limits). */
export interface RolloutPolicy {
  /** Canary weights in percent, increasing, ending at 100 (reaching 100 is the promotion). */
  readonly steps: readonly number[];
  /** Passing measurements needed at a weight before moving on. */
  readonly measurementsPerStep: number;
  /** Failed measurements tolerated over the rollout; one more rolls back (Argo's `failureLimit`, default 0). */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated; one more pauses for a human (Argo's `inconclusiveLimit`). */
  readonly inconclusiveLimit: number;
  readonly analysis: CanaryAnalysisConfig;
}

export const DEFAULT_ROLLOUT_POLICY: RolloutPolicy = {
  steps: [10, 25, 50, 100],
  measurementsPerStep: 3,
  failureLimit: 0,
  inconclusiveLimit: 3,
  analysis: DEFAULT_CANARY_ANALYSIS,
};

export type RolloutPhase = 'progressing' | 'paused' | 'promoted' | 'rolled_back';

/** Where a rollout stands; plain data the caller stores between measurements. */
export interface RolloutState {
  readonly phase: RolloutPhase;
  readonly stepIndex: number;
  /** Current canary weight in percent. */
  readonly weight: number;
  readonly passesInStep: number;
  readonly failures: number;
  readonly inconclusives: number;
  readonly measurements: number;
}

export type RolloutAction = 'promote' | 'step' | 'hold' | 'pause' | 'rollback';

/**
 * What the caller should do now. `promote`: send all traffic to the candidate and move the
 * `champion` alias to it; `step`: set the canary weight to `weight`; `hold`: keep the weight, measure
 * again; `pause`: keep the weight and wait for a human (`resumeRollout`); `rollback`: canary weight 0
 * and restore the `champion`/`challenger` aliases as they were before the rollout.
 */
export interface RolloutDecision {
  readonly action: RolloutAction;
  readonly weight: number;
  readonly reasons: readonly string[];
}

/** Validates a rollout config (snake_case): `steps`, `measurements_per_step`, `failure_limit`, `inconclusive_limit`, `analysis`. */
export function parseRolloutPolicy(raw: unknown, path = 'rollout'): RolloutPolicy {
  if (raw === undefined) return DEFAULT_ROLLOUT_POLICY;
  const obj = expectObject(raw, path);
  rejectUnknownKeys(obj, ['steps', 'measurements_per_step', 'failure_limit', 'inconclusive_limit', 'analysis'], path);
  let steps = DEFAULT_ROLLOUT_POLICY.steps;
  if (obj['steps'] !== undefined) {
    const field = joinPath(path, 'steps');
    const value = obj['steps'];
    if (!Array.isArray(value) || value.length === 0) throw new ValidationError(field, 'expected a non-empty list of weights, e.g. [10, 25, 50, 100]');
    value.forEach((w: unknown, i) => {
      const previous = i === 0 ? 0 : (value[i - 1] as number);
      if (typeof w !== 'number' || !Number.isFinite(w) || w <= previous || w > 100) {
        throw new ValidationError(joinPath(field, i), 'weights must increase strictly within (0, 100]');
      }
    });
    if (value[value.length - 1] !== 100) throw new ValidationError(field, 'the last weight must be 100 (the promotion)');
    steps = value as number[];
  }
  const d = DEFAULT_ROLLOUT_POLICY;
  return {
    steps,
    measurementsPerStep: readOptionalNumber(obj, 'measurements_per_step', path, d.measurementsPerStep, { min: 1, integer: true }),
    failureLimit: readOptionalNumber(obj, 'failure_limit', path, d.failureLimit, { min: 0, integer: true }),
    inconclusiveLimit: readOptionalNumber(obj, 'inconclusive_limit', path, d.inconclusiveLimit, { min: 0, integer: true }),
    analysis: parseCanaryAnalysisConfig(obj['analysis'], joinPath(path, 'analysis')),
  };
}

/** The state at the start of a rollout: the first step's weight. */
export function initialRolloutState(policy: RolloutPolicy): RolloutState {
  return { phase: 'progressing', stepIndex: 0, weight: policy.steps[0] ?? 100, passesInStep: 0, failures: 0, inconclusives: 0, measurements: 0 };
}

/**
 * Moves the rollout on by one measurement. Pure.
 *
 * A failing measurement counts toward `failureLimit`; past it the rollout rolls back (weight 0).
 * An inconclusive one counts toward `inconclusiveLimit`; past it the rollout pauses. A passing one
 * counts toward the step; after `measurementsPerStep` passes the weight moves to the next step, and
 * the move to the last step (100) is the promotion. Otherwise: hold. Counts of failures and
 * inconclusives run over the whole rollout, as Argo's limits do over an AnalysisRun. A paused
 * rollout ignores measurements until {@link resumeRollout}; a finished one answers `hold`.
 */
export function advanceRollout(
  policy: RolloutPolicy,
  state: RolloutState,
  judgement: Pick<CanaryJudgement, 'verdict' | 'reasons'>,
): { decision: RolloutDecision; newState: RolloutState } {
  if (state.phase === 'promoted' || state.phase === 'rolled_back') {
    return { decision: { action: 'hold', weight: state.weight, reasons: [`rollout already ${state.phase.replace('_', ' ')}`] }, newState: state };
  }
  if (state.phase === 'paused') {
    return { decision: { action: 'pause', weight: state.weight, reasons: ['rollout is paused; resume it to continue'] }, newState: state };
  }
  const counted = { ...state, measurements: state.measurements + 1 };
  const reasons = [...judgement.reasons];

  if (judgement.verdict === 'fail') {
    const failures = state.failures + 1;
    if (failures > policy.failureLimit) {
      return {
        decision: { action: 'rollback', weight: 0, reasons: [...reasons, `${failures} failed measurement(s) > failure limit ${policy.failureLimit}`] },
        newState: { ...counted, failures, phase: 'rolled_back', weight: 0 },
      };
    }
    return {
      decision: { action: 'hold', weight: state.weight, reasons: [...reasons, `${failures} of ${policy.failureLimit} tolerated failures`] },
      newState: { ...counted, failures },
    };
  }

  if (judgement.verdict === 'inconclusive') {
    const inconclusives = state.inconclusives + 1;
    if (inconclusives > policy.inconclusiveLimit) {
      return {
        decision: { action: 'pause', weight: state.weight, reasons: [...reasons, `${inconclusives} inconclusive measurement(s) > limit ${policy.inconclusiveLimit}`] },
        newState: { ...counted, inconclusives, phase: 'paused' },
      };
    }
    return { decision: { action: 'hold', weight: state.weight, reasons }, newState: { ...counted, inconclusives } };
  }

  const passes = state.passesInStep + 1;
  if (passes < policy.measurementsPerStep) {
    return {
      decision: { action: 'hold', weight: state.weight, reasons: [...reasons, `${passes} of ${policy.measurementsPerStep} passing measurements at ${state.weight}%`] },
      newState: { ...counted, passesInStep: passes },
    };
  }
  const next = state.stepIndex + 1;
  const nextWeight = policy.steps[next] ?? 100;
  if (next >= policy.steps.length - 1) {
    return {
      decision: { action: 'promote', weight: 100, reasons: [...reasons, `passed every step up to ${state.weight}%`] },
      newState: { ...counted, phase: 'promoted', stepIndex: policy.steps.length - 1, weight: 100, passesInStep: 0 },
    };
  }
  return {
    decision: { action: 'step', weight: nextWeight, reasons: [...reasons, `${passes} passing measurements at ${state.weight}%`] },
    newState: { ...counted, stepIndex: next, weight: nextWeight, passesInStep: 0 },
  };
}

/** Resumes a paused rollout (a human looked): back to progressing, inconclusive count cleared. */
export function resumeRollout(state: RolloutState): RolloutState {
  if (state.phase !== 'paused') return state;
  return { ...state, phase: 'progressing', inconclusives: 0 };
}

/** A manual abort: the same rollback decision a failure produces. */
export function abortRollout(state: RolloutState, reason: string): { decision: RolloutDecision; newState: RolloutState } {
  return { decision: { action: 'rollback', weight: 0, reasons: [reason] }, newState: { ...state, phase: 'rolled_back', weight: 0 } };
}
