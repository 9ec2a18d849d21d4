import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retrainingIdempotencyKey } from './idempotency-key.js';

describe('retrainingIdempotencyKey', () => {
  it('is deterministic and depends on both model and incident', () => {
    const key = retrainingIdempotencyKey('churn', 'drift:dataset:1714989600000');
    expect(key).toBe(retrainingIdempotencyKey('churn', 'drift:dataset:1714989600000'));
    expect(key).toMatch(/^dw-churn-[0-9a-f]{24}$/);
    expect(key).not.toBe(retrainingIdempotencyKey('churn', 'drift:dataset:1714989600001'));
    expect(key).not.toBe(retrainingIdempotencyKey('fraud', 'drift:dataset:1714989600000'));
  });

  it('only uses characters Airflow accepts in a dag_run_id, within 76 characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }), fc.string({ minLength: 1 }), (model, incident) => {
        const key = retrainingIdempotencyKey(model, incident);
        return /^[A-Za-z0-9_.-]+$/.test(key) && key.length <= 76;
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('does not collide for models whose slugs collide', () => {
    expect(retrainingIdempotencyKey('a b', 'x')).not.toBe(retrainingIdempotencyKey('a_b', 'x'));
  });

  it('rejects empty inputs', () => {
    expect(() => retrainingIdempotencyKey('', 'x')).toThrow('requires a model name');
    expect(() => retrainingIdempotencyKey('m', '')).toThrow('requires an incident id');
  });
});
