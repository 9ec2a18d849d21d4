import { describe, expect, it } from 'vitest';
import { parseRetrainingPolicy } from './retraining-policy.js';
import { MAX_HANDLED_INCIDENTS, evaluateTriggers, initialTriggerState } from './trigger-evaluation.js';
import type { TriggerObservations, TriggerState } from './trigger-evaluation.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2024-05-06T10:00:00Z');

/** Runs a sequence of evaluations, threading the state; returns each decision. */
function run(rawPolicy: unknown, steps: Array<[number, TriggerObservations]>, start: TriggerState = initialTriggerState()) {
  const policy = parseRetrainingPolicy(rawPolicy);
  let state = start;
  return steps.map(([t, obs]) => {
    const { decision, newState } = evaluateTriggers(policy, obs, state, t);
    state = newState;
    return { decision, state };
  });
}

describe('evaluateTriggers: drift', () => {
  it('fires when the dataset drift share stays over the threshold for the sustained duration, once', () => {
    const drifting = { driftShare: 0.6 };
    const out = run({ drift: { share: 0.5, sustained_for: '30m' } }, [
      [T0, drifting],
      [T0 + 10 * MIN, drifting],
      [T0 + 30 * MIN, drifting],
      [T0 + 8 * HOUR, drifting],
    ]);
    expect(out.map((o) => o.decision.fire)).toEqual([false, false, true, false]);
    expect(out[2]?.decision.trigger).toMatchObject({ kind: 'drift', id: `drift:dataset:${T0}` });
    expect(out[2]?.decision.reasons[0]).toBe('drift share 0.6000 ≥ 0.5000 for 30m');
    // Still the same incident hours later: deduplicated, not a second retraining.
    expect(out[3]?.decision.incidents).toEqual([]);
  });

  it('restarts the sustained clock when drift clears, and a new incident fires again after the cooldown', () => {
    const out = run({ drift: { share: 0.5, sustained_for: '30m' }, cooldown: '1h' }, [
      [T0, { driftShare: 0.7 }],
      [T0 + 20 * MIN, { driftShare: 0.2 }],
      [T0 + 40 * MIN, { driftShare: 0.7 }],
      [T0 + 60 * MIN, { driftShare: 0.7 }],
      [T0 + 70 * MIN, { driftShare: 0.7 }],
      [T0 + 80 * MIN, { driftShare: 0.1 }],
      [T0 + 90 * MIN, { driftShare: 0.9 }],
      [T0 + 120 * MIN, { driftShare: 0.9 }],
      [T0 + 130 * MIN, { driftShare: 0.9 }],
    ]);
    expect(out.map((o) => o.decision.fire)).toEqual([false, false, false, false, true, false, false, false, true]);
    expect(out[4]?.decision.trigger?.id).toBe(`drift:dataset:${T0 + 40 * MIN}`);
    // At +120 the new incident is sustained but the cooldown (fired at +70) is still on.
    expect(out[7]?.decision.suppressedBy).toBe('cooldown');
    expect(out[7]?.decision.reasons.at(-1)).toBe('in cooldown for another 10m');
    expect(out[8]?.decision.trigger?.id).toBe(`drift:dataset:${T0 + 90 * MIN}`);
  });

  it('fires on a listed feature using the aggregator since-timestamp', () => {
    const out = run({ drift: { features: ['tenure', 'plan'], sustained_for: '1h' } }, [
      [T0, { featureDrift: { tenure: { drifted: true, sinceMs: T0 - 30 * MIN }, age: { drifted: true, sinceMs: T0 - 5 * HOUR } } }],
      [T0 + 30 * MIN, { featureDrift: { tenure: { drifted: true, sinceMs: T0 - 30 * MIN } } }],
    ]);
    expect(out[0]?.decision.fire).toBe(false); // age is not listed; tenure only 30m
    expect(out[1]?.decision.trigger).toMatchObject({ kind: 'drift', id: `drift:feature:tenure:${T0 - 30 * MIN}` });
    expect(out[1]?.decision.reasons).toEqual(['feature tenure drifted for 1h']);
  });

  it('tracks feature drift itself when no since-timestamp is given', () => {
    const out = run({ drift: { features: ['tenure'], sustained_for: '10m' } }, [
      [T0, { featureDrift: { tenure: { drifted: true } } }],
      [T0 + 10 * MIN, { featureDrift: { tenure: { drifted: true } } }],
    ]);
    expect(out[0]?.decision.fire).toBe(false);
    expect(out[1]?.decision.trigger?.id).toBe(`drift:feature:tenure:${T0}`);
  });
});

describe('evaluateTriggers: performance', () => {
  const policy = { performance: { min: { accuracy: 0.8 }, max: { mae: 3 }, min_samples: 100, sustained_for: '15m' } };

  it('fires when a metric is below its objective long enough with enough labels', () => {
    const out = run(policy, [
      [T0, { performance: { accuracy: 0.7 }, feedbackSamples: 500 }],
      [T0 + 15 * MIN, { performance: { accuracy: 0.72 }, feedbackSamples: 520 }],
    ]);
    expect(out[0]?.decision.fire).toBe(false);
    expect(out[1]?.decision.fire).toBe(true);
    expect(out[1]?.decision.trigger).toMatchObject({ kind: 'performance', id: `performance:accuracy:${T0}` });
    expect(out[1]?.decision.reasons[0]).toBe('accuracy 0.7200 < objective 0.8000 for 15m (520 labels)');
  });

  it('fires on a lower-is-better metric above its bound', () => {
    const out = run({ performance: { max: { mae: 3 }, min_samples: 10 } }, [[T0, { performance: { mae: 3.5 }, feedbackSamples: 10 }]]);
    expect(out[0]?.decision.trigger?.id).toBe(`performance:mae:${T0}`);
  });

  it('ignores metrics backed by too few labels, and resets when they recover', () => {
    const out = run(policy, [
      [T0, { performance: { accuracy: 0.5 }, feedbackSamples: 20 }],
      [T0 + 20 * MIN, { performance: { accuracy: 0.5 }, feedbackSamples: 200 }],
      [T0 + 30 * MIN, { performance: { accuracy: 0.9 }, feedbackSamples: 200 }],
      [T0 + 40 * MIN, { performance: { accuracy: 0.5 }, feedbackSamples: 200 }],
      [T0 + 50 * MIN, { performance: { accuracy: 0.5 }, feedbackSamples: 200 }],
    ]);
    expect(out.map((o) => o.decision.fire)).toEqual([false, false, false, false, false]);
    expect(out[4]?.state.performanceBreachSinceMs).toEqual({ 'min:accuracy': T0 + 40 * MIN });
  });
});

describe('evaluateTriggers: volume', () => {
  it('fires after N new labelled records since the last training and re-bases', () => {
    const out = run({ volume: { new_labels: 1000 }, cooldown: '0' }, [
      [T0, { labelledRecords: 5000 }],
      [T0 + HOUR, { labelledRecords: 5999 }],
      [T0 + 2 * HOUR, { labelledRecords: 6000 }],
      [T0 + 3 * HOUR, { labelledRecords: 6500 }],
      [T0 + 4 * HOUR, { labelledRecords: 7000 }],
    ]);
    // The first evaluation only sets the baseline (a restart never fires on volume alone).
    expect(out.map((o) => o.decision.fire)).toEqual([false, false, true, false, true]);
    expect(out[2]?.decision.trigger).toMatchObject({ kind: 'volume', id: 'volume:5000' });
    expect(out[2]?.decision.reasons).toEqual(['1000 new labelled records since the last training ≥ 1000']);
    expect(out[4]?.decision.trigger?.id).toBe('volume:6000');
  });

  it('re-bases when the counter goes backwards', () => {
    const out = run({ volume: { new_labels: 100 } }, [
      [T0, { labelledRecords: 5000 }],
      [T0 + MIN, { labelledRecords: 20 }],
      [T0 + 2 * MIN, { labelledRecords: 119 }],
      [T0 + 3 * MIN, { labelledRecords: 120 }],
    ]);
    expect(out.map((o) => o.decision.fire)).toEqual([false, false, false, true]);
  });
});

describe('evaluateTriggers: schedule', () => {
  const policy = { schedule: '0 3 * * *', cooldown: '1h' };
  const day = Date.parse('2024-05-06T00:00:00Z');

  it('fires once when a scheduled run falls due between evaluations', () => {
    const out = run(policy, [
      [day + 2 * HOUR + 59 * MIN, {}],
      [day + 3 * HOUR + 10_000, {}],
      [day + 3 * HOUR + 40_000, {}],
      [day + 4 * HOUR, {}],
      [day + 27 * HOUR + 5 * MIN, {}],
    ]);
    expect(out.map((o) => o.decision.fire)).toEqual([false, true, false, false, true]);
    expect(out[1]?.decision.trigger).toMatchObject({ kind: 'schedule', id: `schedule:${day + 3 * HOUR}` });
    expect(out[1]?.decision.reasons).toEqual(['schedule "0 3 * * *" due at 2024-05-06T03:00:00.000Z']);
  });

  it('fires on the first evaluation only if that very minute matches', () => {
    expect(run(policy, [[day + 3 * HOUR + 30_000, {}]])[0]?.decision.fire).toBe(true);
    expect(run(policy, [[day + 3 * HOUR + MIN, {}]])[0]?.decision.fire).toBe(false);
  });

  it('coalesces missed runs into one and skips runs inside the cooldown', () => {
    const out = run({ schedule: '*/10 * * * *', cooldown: '25m' }, [
      [day, {}],
      [day + 35 * MIN, {}],
      [day + 40 * MIN, {}],
      [day + 50 * MIN, {}],
      [day + 60 * MIN, {}],
    ]);
    expect(out.map((o) => o.decision.fire)).toEqual([true, true, false, false, true]);
    expect(out[1]?.decision.trigger?.id).toBe(`schedule:${day + 10 * MIN}`);
    expect(out[2]?.decision.suppressedBy).toBe('cooldown');
  });
});

describe('evaluateTriggers: alerts, priority, dedup, disabled', () => {
  it('turns firing alerts into incidents when the policy accepts alerts', () => {
    const alerts = [{ alertname: 'DriftwatchDatasetDrift', fingerprint: 'abc', startsAtMs: T0 - HOUR }];
    expect(run({ alerts: false }, [[T0, { alerts }]])[0]?.decision.incidents).toEqual([]);
    const out = run({ alerts: true }, [
      [T0, { alerts }],
      [T0 + 7 * HOUR, { alerts }],
    ]);
    expect(out[0]?.decision.trigger).toEqual({
      kind: 'alert',
      id: `alert:abc:${T0 - HOUR}`,
      reason: 'alert DriftwatchDatasetDrift firing since 2024-05-06T09:00:00.000Z',
    });
    expect(out[1]?.decision.fire).toBe(false); // same alert repeated by Alertmanager: one retraining
  });

  it('attributes one retraining to the highest-priority incident and handles all of them', () => {
    const out = run({ drift: { share: 0.5 }, performance: { min: { accuracy: 0.8 }, min_samples: 1 }, volume: { new_labels: 10 }, cooldown: '0' }, [
      [T0, { labelledRecords: 0 }],
      [T0 + MIN, { driftShare: 0.9, performance: { accuracy: 0.1 }, feedbackSamples: 5, labelledRecords: 50 }],
      [T0 + 2 * MIN, { driftShare: 0.9, performance: { accuracy: 0.1 }, feedbackSamples: 5, labelledRecords: 55 }],
    ]);
    const fired = out[1]?.decision;
    expect(fired?.fire).toBe(true);
    expect(fired?.trigger?.kind).toBe('performance');
    expect(fired?.incidents.map((i) => i.kind)).toEqual(['performance', 'drift', 'volume']);
    expect(out[2]?.decision.fire).toBe(false);
    expect(out[1]?.state.labelsAtLastTraining).toBe(50);
  });

  it('reports but does not fire when disabled', () => {
    const out = run({ enabled: false, drift: { share: 0.5 } }, [[T0, { driftShare: 0.9 }]]);
    expect(out[0]?.decision).toMatchObject({ fire: false, suppressedBy: 'disabled' });
    expect(out[0]?.decision.incidents).toHaveLength(1);
  });

  it('keeps the handled-incident list bounded', () => {
    const policy = { alerts: true, cooldown: '0' };
    let state = initialTriggerState();
    for (let i = 0; i < MAX_HANDLED_INCIDENTS + 10; i++) {
      const result = evaluateTriggers(parseRetrainingPolicy(policy), { alerts: [{ alertname: 'x', fingerprint: `f${i}`, startsAtMs: T0 }] }, state, T0 + i);
      expect(result.decision.fire).toBe(true);
      state = result.newState;
    }
    expect(state.handledIncidents).toHaveLength(MAX_HANDLED_INCIDENTS);
    expect(state.handledIncidents.at(-1)).toBe(`alert:f${MAX_HANDLED_INCIDENTS + 9}:${T0}`);
  });

  it('is pure: the same inputs give the same output and the input state is untouched', () => {
    const policy = parseRetrainingPolicy({ drift: { share: 0.5 } });
    const state = initialTriggerState();
    const snapshot = JSON.stringify(state);
    const a = evaluateTriggers(policy, { driftShare: 0.9 }, state, T0);
    const b = evaluateTriggers(policy, { driftShare: 0.9 }, state, T0);
    expect(a).toEqual(b);
    expect(JSON.stringify(state)).toBe(snapshot);
  });
});
