import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';

const gha = { kind: 'github_repository_dispatch', name: 'gha', repository: 'acme/models', token: 'ghp_x' };

const withPolicy = (retraining: unknown, extra: Record<string, unknown> = {}, sla: Record<string, number> = { min_accuracy: 0.8, max_mae: 3, max_drift_share: 0.4 }) =>
  resolveConfig({ alertsSecret: 's', retraining: { targets: [gha] }, models: { churn: { sla, retraining } }, ...extra });

const fieldOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('retraining config', () => {
  it('resolves targets, the retry policy, the secret and a policy whose objectives default to the SLA', () => {
    const c = withPolicy({ targets: ['gha'], performance: { min_samples: 50, sustained_for: '15m' }, drift: { sustained_for: '30m' }, schedule: '@weekly', alerts: true }, {
      retraining: { targets: [gha], retry: { max_attempts: 2 } },
    });
    expect(c.retraining.targets.get('gha')).toMatchObject({ kind: 'github_repository_dispatch', owner: 'acme', repo: 'models' });
    expect(c.retraining.retry.maxAttempts).toBe(2);
    expect(c.retraining.alertsSecret).toBe('s');
    const p = c.retraining.policies.get('churn');
    expect(p).toMatchObject({ enabled: true, alerts: true, cooldownMs: 6 * 3_600_000, targets: ['gha'] });
    expect(p?.performance).toEqual({ min: { accuracy: 0.8 }, max: { mae: 3 }, minSamples: 50, sustainedForMs: 900_000 });
    expect(p?.drift).toEqual({ share: 0.4, features: [], sustainedForMs: 1_800_000 });
    expect(p?.schedule?.expression).toBe('0 0 * * 0'); // @weekly, expanded
    // explicit objectives replace the SLA's
    expect(withPolicy({ targets: ['gha'], performance: { min: { f1: 0.7 } } }).retraining.policies.get('churn')?.performance?.min).toEqual({ f1: 0.7 });
    // without max_drift_share the model's dataset drift share is the default
    expect(withPolicy({ targets: ['gha'], drift: {} }, {}, {}).retraining.policies.get('churn')?.drift?.share).toBe(0.5);
    expect(resolveConfig({}).retraining.policies.size).toBe(0);
  });

  it('fails at start naming the field', () => {
    expect(fieldOf(() => withPolicy({ targets: ['gha'], cooldown: '5x' }))).toBe('config.models["churn"].retraining.cooldown: "5x" is not a duration (e.g. 90s, 30m, 6h, 1h30m)');
    expect(fieldOf(() => withPolicy({ targets: ['gha'], cooldwon: '1h' }))).toMatch(/^config\.models\["churn"\]\.retraining\.cooldwon: unknown field/);
    expect(fieldOf(() => withPolicy({ targets: ['nope'] }))).toBe('config.models["churn"].retraining.targets[0]: "nope" is not a target in config.retraining.targets (gha)');
    expect(fieldOf(() => withPolicy({ drift: { share: 0.5 } }))).toBe('config.models["churn"].retraining.targets: an enabled policy needs at least one dispatch target');
    expect(fieldOf(() => withPolicy({ targets: ['gha'], schedule: '0 0 30 2 *' }))).toMatch(/^config\.models\["churn"\]\.retraining\.schedule: "0 0 30 2 \*" never matches/);
    expect(fieldOf(() => withPolicy({ targets: ['gha'], performance: {} }, {}, {}))).toMatch(/^config\.models\["churn"\]\.retraining\.performance: needs objectives/);
    expect(fieldOf(() => withPolicy({ targets: ['gha'], performance: { max: { accuracy: 0.9 } } }))).toBe(
      'config.models["churn"].retraining.performance.max.accuracy: accuracy is higher-is-better; put it under min',
    );
    expect(fieldOf(() => withPolicy({ targets: ['gha'], performance: { min: { auc: 0.9 } } }))).toMatch(/^config\.models\["churn"\]\.retraining\.performance\.min\.auc: unknown metric/);
    expect(fieldOf(() => withPolicy({ targets: ['gha'], alerts: true }, { alertsSecret: undefined }))).toMatch(/^config\.alertsSecret: required when a retraining policy has alerts: true/);
    expect(fieldOf(() => withPolicy({ targets: ['gha'] }, { retraining: { targets: [{ ...gha, repository: 'nope' }] } }))).toBe('config.retraining.targets[0].repository: "nope" is not "owner/repo"');
    expect(fieldOf(() => withPolicy({ targets: ['gha'] }, { retraining: { targets: [gha, gha] } }))).toBe('config.retraining.targets[1].name: duplicate target name "gha"');
    expect(fieldOf(() => withPolicy({ targets: ['gha'] }, { retraining: { targets: [gha], retry: { max_attempts: 0 } } }))).toBe('config.retraining.retry.max_attempts: must be ≥ 1, got 0');
    expect(fieldOf(() => withPolicy({ targets: ['gha'] }, { retraining: { target: [] } }))).toMatch(/^config\.retraining\.target: unknown key/);
    expect(fieldOf(() => withPolicy({ targets: ['gha'], volume: { new_labels: 10 } }, { records: { enabled: false } }))).toBe(
      'config.models["churn"].retraining.volume: counts labelled prediction records, but config.records.enabled is false',
    );
    expect(fieldOf(() => resolveConfig({ records: { maxAge: '30s' } }))).toBe('config.records.maxAge: 30s is shorter than the minimum 1m');
    expect(fieldOf(() => resolveConfig({ records: { maxRowsPerModel: 0 } }))).toBe('config.records.maxRowsPerModel: 0 is not a number in [1, 100000000]');
  });

  it('takes the alerts secret from DRIFTWATCH_ALERTS_SECRET', () => {
    expect(loadConfig({ env: { DRIFTWATCH_ALERTS_SECRET: 'from-env' } }).retraining.alertsSecret).toBe('from-env');
  });
});
