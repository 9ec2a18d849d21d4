import { describe, expect, it } from 'vitest';
import { parseRetrainingPolicy } from './retraining-policy.js';
import { ValidationError } from './validation-error.js';

const P = 'models.churn.retraining';

describe('parseRetrainingPolicy', () => {
  it('normalizes a full policy', () => {
    const policy = parseRetrainingPolicy(
      {
        schedule: '0 3 * * 1',
        cooldown: '12h',
        drift: { share: 0.5, features: ['tenure'], sustained_for: '30m' },
        performance: { min: { accuracy: 0.8 }, max: { mae: 3 }, min_samples: 50, sustained_for: '15m' },
        volume: { new_labels: 10_000 },
        alerts: true,
        targets: ['gha'],
      },
      P,
    );
    expect(policy.enabled).toBe(true);
    expect(policy.schedule?.expression).toBe('0 3 * * 1');
    expect(policy.cooldownMs).toBe(12 * 3_600_000);
    expect(policy.drift).toEqual({ share: 0.5, features: ['tenure'], sustainedForMs: 1_800_000 });
    expect(policy.performance).toEqual({ min: { accuracy: 0.8 }, max: { mae: 3 }, minSamples: 50, sustainedForMs: 900_000 });
    expect(policy.volume).toEqual({ newLabels: 10_000 });
    expect(policy.alerts).toBe(true);
    expect(policy.targets).toEqual(['gha']);
  });

  it('applies defaults', () => {
    const policy = parseRetrainingPolicy({}, P);
    expect(policy).toMatchObject({ enabled: true, schedule: null, drift: null, performance: null, volume: null, alerts: false, cooldownMs: 6 * 3_600_000, targets: [] });
  });

  it.each([
    [{ cooldown: '5x' }, `${P}.cooldown: "5x" is not a duration`],
    [{ cooldown: 5 }, `${P}.cooldown: 5 is not a duration`],
    [{ cooldwon: '1h' }, `${P}.cooldwon: unknown field`],
    [{ schedule: '61 * * * *' }, `${P}.schedule: "61 * * * *" is not a cron expression: minute field`],
    [{ schedule: '0 0 30 2 *' }, `${P}.schedule: "0 0 30 2 *" never matches`],
    [{ schedule: 7 }, `${P}.schedule: expected a cron expression string`],
    [{ drift: { share: 1.5 } }, `${P}.drift.share: must be ≤ 1`],
    [{ drift: {} }, `${P}.drift: needs \`share\``],
    [{ drift: { features: ['a', ''] } }, `${P}.drift.features[1]: expected a non-empty string`],
    [{ drift: { share: 0.5, sustained_for: '1h1h' } }, `${P}.drift.sustained_for: "1h1h" is not a duration`],
    [{ performance: { min: { accuracy: 'high' } } }, `${P}.performance.min.accuracy: expected a finite number`],
    [{ performance: {} }, `${P}.performance: needs at least one objective`],
    [{ volume: { new_labels: 0 } }, `${P}.volume.new_labels: must be ≥ 1`],
    [{ volume: { new_labels: 2.5 } }, `${P}.volume.new_labels: expected an integer`],
    [{ enabled: 'yes' }, `${P}.enabled: expected true or false`],
    [{ targets: 'gha' }, `${P}.targets: expected a list of strings`],
    ['often', `${P}: expected an object`],
  ])('rejects %j', (raw, message) => {
    let caught: unknown;
    try {
      parseRetrainingPolicy(raw, P);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as Error).message.startsWith(message)).toBe(true);
  });
});
