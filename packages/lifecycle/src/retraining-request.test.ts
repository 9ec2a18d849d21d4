import { describe, expect, it } from 'vitest';
import { retrainingIdempotencyKey } from './idempotency-key.js';
import { parseRetrainingPolicy } from './retraining-policy.js';
import { retrainingEvent, retrainingRequestFor } from './retraining-request.js';
import { evaluateTriggers, initialTriggerState } from './trigger-evaluation.js';

const T0 = Date.parse('2024-05-06T10:00:00Z');

describe('retrainingRequestFor / retrainingEvent', () => {
  it('turns a firing decision into a request whose key follows the incident', () => {
    const policy = parseRetrainingPolicy({ drift: { share: 0.5 } });
    const { decision } = evaluateTriggers(policy, { driftShare: 0.8 }, initialTriggerState(), T0);
    const request = retrainingRequestFor('churn', decision, T0, { champion: '3' });
    expect(request).toEqual({
      model: 'churn',
      trigger: { kind: 'drift', id: `drift:dataset:${T0}`, reasons: ['drift share 0.8000 ≥ 0.5000 for 0s'] },
      requestedAtMs: T0,
      parameters: { champion: '3' },
    });
    if (request === null) throw new Error('expected a request');
    const event = retrainingEvent(request);
    expect(event.idempotency_key).toBe(retrainingIdempotencyKey('churn', `drift:dataset:${T0}`));
    expect(event.champion).toBe('3');
  });

  it('returns null for a quiet decision', () => {
    const policy = parseRetrainingPolicy({});
    expect(retrainingRequestFor('churn', evaluateTriggers(policy, {}, initialTriggerState(), T0).decision, T0)).toBeNull();
  });

  it('does not let parameters override the event fields', () => {
    const event = retrainingEvent({ model: 'churn', trigger: { kind: 'volume', id: 'volume:0', reasons: [] }, requestedAtMs: T0, parameters: { model: 'evil', idempotency_key: 'x' } });
    expect(event.model).toBe('churn');
    expect(event.idempotency_key).toBe(retrainingIdempotencyKey('churn', 'volume:0'));
  });
});
