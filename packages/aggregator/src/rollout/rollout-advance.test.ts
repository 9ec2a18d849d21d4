import { DEFAULT_ROLLOUT_POLICY, initialRolloutState } from '@driftwatch/lifecycle';
import { describe, expect, it } from 'vitest';
import { advance } from './rollout-advance.js';

const pass = { verdict: 'pass' as const, reasons: ['ok'] };
const fail = { verdict: 'fail' as const, reasons: ['error rate higher'] };
const unsure = { verdict: 'inconclusive' as const, reasons: ['too few calls'] };

describe('advance', () => {
  it('is the lifecycle step machine for a canary', () => {
    const r = { mode: 'canary' as const, policy: DEFAULT_ROLLOUT_POLICY, state: { ...initialRolloutState(DEFAULT_ROLLOUT_POLICY), passesInStep: 2 } };
    expect(advance(r, pass)).toMatchObject({ mode: 'canary', decision: { action: 'step', weight: 25 }, newState: { stepIndex: 1, weight: 25 } });
    expect(advance(r, fail)).toMatchObject({ mode: 'canary', decision: { action: 'rollback', weight: 0 }, newState: { phase: 'rolled_back' } });
  });

  it('gates a shadow rollout at weight 0, then starts the canary at the first step', () => {
    const start = { mode: 'shadow' as const, policy: DEFAULT_ROLLOUT_POLICY, state: { ...initialRolloutState(DEFAULT_ROLLOUT_POLICY), weight: 0 } };
    const one = advance(start, pass);
    expect(one).toMatchObject({ mode: 'shadow', decision: { action: 'hold', weight: 0 }, newState: { weight: 0, passesInStep: 1, phase: 'progressing' } });
    const two = advance({ ...start, state: one.newState }, unsure);
    expect(two).toMatchObject({ mode: 'shadow', decision: { action: 'hold', weight: 0 }, newState: { inconclusives: 1 } });
    const three = advance({ ...start, state: { ...two.newState, passesInStep: 2 } }, pass);
    expect(three.mode).toBe('canary');
    expect(three.decision).toMatchObject({ action: 'step', weight: 10 });
    expect(three.decision.reasons.at(-1)).toBe('shadow analysis passed: the canary starts at 10%');
    expect(three.newState).toMatchObject({ phase: 'progressing', stepIndex: 0, weight: 10, passesInStep: 0, inconclusives: 1, measurements: 3 });
  });

  it('rolls a failing shadow back and pauses an undecidable one, at weight 0', () => {
    const start = { mode: 'shadow' as const, policy: DEFAULT_ROLLOUT_POLICY, state: { ...initialRolloutState(DEFAULT_ROLLOUT_POLICY), weight: 0 } };
    expect(advance(start, fail)).toMatchObject({ mode: 'shadow', decision: { action: 'rollback', weight: 0 }, newState: { phase: 'rolled_back', weight: 0 } });
    expect(advance({ ...start, state: { ...start.state, inconclusives: 3 } }, unsure)).toMatchObject({ decision: { action: 'pause', weight: 0 }, newState: { phase: 'paused', weight: 0 } });
  });
});
