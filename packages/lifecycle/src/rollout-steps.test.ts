import { describe, expect, it } from 'vitest';
import type { MetricStatus } from './canary-judgement.js';
import { abortRollout, advanceRollout, initialRolloutState, parseRolloutPolicy, resumeRollout } from './rollout-steps.js';
import type { RolloutPolicy, RolloutState } from './rollout-steps.js';

const measure = (verdict: MetricStatus) => ({ verdict, reasons: [`measurement ${verdict}`] });

function play(policy: RolloutPolicy, verdicts: MetricStatus[], start: RolloutState = initialRolloutState(policy)) {
  let state = start;
  const decisions = verdicts.map((v) => {
    const { decision, newState } = advanceRollout(policy, state, measure(v));
    state = newState;
    return decision;
  });
  return { decisions, state };
}

describe('advanceRollout', () => {
  const policy = parseRolloutPolicy({ measurements_per_step: 2, failure_limit: 0, inconclusive_limit: 1 });

  it('steps the weight 10 → 25 → 50 and promotes to 100 after passing every step', () => {
    expect(initialRolloutState(policy).weight).toBe(10);
    const { decisions, state } = play(policy, ['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(decisions.map((d) => [d.action, d.weight])).toEqual([
      ['hold', 10],
      ['step', 25],
      ['hold', 25],
      ['step', 50],
      ['hold', 50],
      ['promote', 100],
    ]);
    expect(state).toMatchObject({ phase: 'promoted', weight: 100, measurements: 6 });
    expect(decisions[5]?.reasons).toEqual(['measurement pass', 'passed every step up to 50%']);
  });

  it('rolls back (weight 0) when failures exceed the failure limit', () => {
    const { decisions, state } = play(policy, ['pass', 'pass', 'fail']);
    expect(decisions[2]).toEqual({ action: 'rollback', weight: 0, reasons: ['measurement fail', '1 failed measurement(s) > failure limit 0'] });
    expect(state.phase).toBe('rolled_back');
    // A finished rollout only holds.
    expect(advanceRollout(policy, state, measure('pass')).decision).toEqual({ action: 'hold', weight: 0, reasons: ['rollout already rolled back'] });
  });

  it('tolerates failures up to the limit (counted over the whole rollout)', () => {
    const tolerant = parseRolloutPolicy({ measurements_per_step: 1, failure_limit: 1 });
    const { decisions } = play(tolerant, ['fail', 'pass', 'fail']);
    expect(decisions.map((d) => d.action)).toEqual(['hold', 'step', 'rollback']);
  });

  it('pauses when inconclusive measurements exceed the limit, ignores measurements while paused, resumes', () => {
    const { decisions, state } = play(policy, ['pass', 'inconclusive', 'inconclusive', 'pass', 'fail']);
    expect(decisions.map((d) => [d.action, d.weight])).toEqual([
      ['hold', 10],
      ['hold', 10],
      ['pause', 10],
      ['pause', 10],
      ['pause', 10],
    ]);
    expect(state).toMatchObject({ phase: 'paused', inconclusives: 2, failures: 0, passesInStep: 1 });
    const resumed = resumeRollout(state);
    expect(resumed).toMatchObject({ phase: 'progressing', inconclusives: 0 });
    expect(play(policy, ['pass'], resumed).decisions[0]).toMatchObject({ action: 'step', weight: 25 });
  });

  it('promotes straight away with a single step of 100', () => {
    const oneStep = parseRolloutPolicy({ steps: [100], measurements_per_step: 1 });
    expect(initialRolloutState(oneStep).weight).toBe(100);
    expect(play(oneStep, ['pass']).decisions[0]).toMatchObject({ action: 'promote', weight: 100 });
  });

  it('aborts manually into the same rollback decision', () => {
    const { decision, newState } = abortRollout(initialRolloutState(policy), 'operator abort');
    expect(decision).toEqual({ action: 'rollback', weight: 0, reasons: ['operator abort'] });
    expect(newState.phase).toBe('rolled_back');
    expect(resumeRollout(newState)).toBe(newState);
  });
});

describe('parseRolloutPolicy', () => {
  it('has Argo-like defaults', () => {
    expect(parseRolloutPolicy(undefined)).toMatchObject({ steps: [10, 25, 50, 100], measurementsPerStep: 3, failureLimit: 0, inconclusiveLimit: 3 });
  });
  it.each([
    [{ steps: [] }, 'rollout.steps: expected a non-empty list'],
    [{ steps: [10, 5, 100] }, 'rollout.steps[1]: weights must increase strictly within (0, 100]'],
    [{ steps: [0, 100] }, 'rollout.steps[0]: weights must increase'],
    [{ steps: [10, 50] }, 'rollout.steps: the last weight must be 100'],
    [{ failure_limit: -1 }, 'rollout.failure_limit: must be ≥ 0'],
    [{ measurements_per_step: 1.5 }, 'rollout.measurements_per_step: expected an integer'],
    [{ analysis: { latency: { alpha: 2 } } }, 'rollout.analysis.latency.alpha: must be ≤ 0.5'],
  ])('rejects %j', (raw, message) => {
    expect(() => parseRolloutPolicy(raw)).toThrow(message);
  });
});
