import { advanceRollout, initialRolloutState } from '@driftwatch/lifecycle';
import type { CanaryJudgement, RolloutDecision, RolloutState } from '@driftwatch/lifecycle';
import type { Rollout, RolloutMode } from './rollout-record.js';

export interface Advance {
  readonly decision: RolloutDecision;
  readonly newState: RolloutState;
  readonly mode: RolloutMode;
}

/**
 * Moves a rollout on by one measurement. Pure.
 *
 * `canary`: the lifecycle step machine as it is (steps 10 → 25 → 50 → 100, failure limit, inconclusive → pause).
 * `shadow`: one gate before the canary — after `measurements_per_step` passing shadow measurements the rollout
 * becomes a canary rollout at the first step (decision `step`); failures and inconclusives count toward the same
 * limits (they run over the whole rollout, shadow included); the served weight stays 0 until then.
 */
export function advance(r: Pick<Rollout, 'mode' | 'policy' | 'state'>, judgement: Pick<CanaryJudgement, 'verdict' | 'reasons'>): Advance {
  if (r.mode === 'canary') return { ...advanceRollout(r.policy, r.state, judgement), mode: 'canary' };
  const gate = { ...r.policy, steps: [100] };
  const { decision, newState } = advanceRollout(gate, { ...r.state, stepIndex: 0, weight: 0 }, judgement);
  if (decision.action === 'promote') {
    const canary = initialRolloutState(r.policy);
    return {
      decision: { action: 'step', weight: canary.weight, reasons: [...judgement.reasons, `${r.policy.measurementsPerStep} passing shadow measurements`, `shadow analysis passed: the canary starts at ${canary.weight}%`] },
      newState: { ...canary, failures: newState.failures, inconclusives: newState.inconclusives, measurements: newState.measurements },
      mode: 'canary',
    };
  }
  return { decision: { ...decision, weight: 0 }, newState: { ...newState, stepIndex: 0, weight: 0 }, mode: 'shadow' };
}
