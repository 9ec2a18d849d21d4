import {
  DEFAULT_RETRY_POLICY,
  parseDispatchTarget,
  parseRetrainingPolicy,
  parseRetryPolicy,
  type DispatchTarget,
  type RetrainingPolicy,
  type RetryPolicy,
} from '@driftwatch/lifecycle';
import type { SlaObjective } from '../config/aggregator-config.js';
import { asConfigError } from '../config/lifecycle-config-error.js';
import { ConfigError } from '../config/config-error.js';
import { describe, readArray, readObject, readString } from '../config/config-reader.js';

/** The aggregator's retraining settings: named dispatch targets, the retry policy, the alerts secret and each model's policy. */
export interface RetrainingConfig {
  /** Dispatch targets by name (`retraining.targets[].name`). */
  readonly targets: ReadonlyMap<string, DispatchTarget>;
  readonly retry: RetryPolicy;
  /** Shared secret Alertmanager presents as `Authorization: Bearer <secret>` on `POST /api/v1/alerts`; unset = the endpoint answers 401. */
  readonly alertsSecret?: string;
  /** `models.<name>.retraining`, validated (targets resolved against `targets`). */
  readonly policies: ReadonlyMap<string, RetrainingPolicy>;
}

export const EMPTY_RETRAINING_CONFIG: RetrainingConfig = { targets: new Map(), retry: DEFAULT_RETRY_POLICY, policies: new Map() };

/** Performance metrics of the aggregator (`driftwatch_model_performance{metric}`) a policy may name. */
const PERFORMANCE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'mae', 'rmse'];
const HIGHER_IS_BETTER = new Set(['accuracy', 'precision', 'recall', 'f1', 'roc_auc']);

function plain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Fills a policy's defaults from the model's SLA before lifecycle validates it:
 * `performance` without `min`/`max` takes the objectives `min_accuracy` → `min.accuracy`, `min_roc_auc` →
 * `min.roc_auc`, `max_mae` → `max.mae` (what `driftwatch_model_sla_threshold` exports); `drift` without `share`
 * and `features` takes `max_drift_share`, else the model's dataset-drift share.
 */
function withSlaDefaults(raw: unknown, path: string, sla: ReadonlyMap<SlaObjective, number>, datasetDriftShare: number): unknown {
  if (!plain(raw)) return raw;
  const out: Record<string, unknown> = { ...raw };
  const perf = raw['performance'];
  if (plain(perf) && perf['min'] === undefined && perf['max'] === undefined) {
    const min: Record<string, number> = {};
    const max: Record<string, number> = {};
    const accuracy = sla.get('min_accuracy');
    const auc = sla.get('min_roc_auc');
    const mae = sla.get('max_mae');
    if (accuracy !== undefined) min['accuracy'] = accuracy;
    if (auc !== undefined) min['roc_auc'] = auc;
    if (mae !== undefined) max['mae'] = mae;
    if (Object.keys(min).length + Object.keys(max).length === 0) {
      throw new ConfigError(`${path}.performance`, 'needs objectives: set min/max here, or min_accuracy, min_roc_auc or max_mae in the model\'s sla');
    }
    out['performance'] = { ...perf, min, max };
  }
  const drift = raw['drift'];
  if (plain(drift) && drift['share'] === undefined && drift['features'] === undefined) {
    out['drift'] = { ...drift, share: sla.get('max_drift_share') ?? datasetDriftShare };
  }
  return out;
}

function checkPerformanceMetrics(policy: RetrainingPolicy, path: string): void {
  if (!policy.performance) return;
  for (const [side, bounds] of [['min', policy.performance.min], ['max', policy.performance.max]] as const) {
    for (const metric of Object.keys(bounds)) {
      const field = `${path}.performance.${side}.${metric}`;
      if (!PERFORMANCE_METRICS.includes(metric)) throw new ConfigError(field, `unknown metric (expected one of ${PERFORMANCE_METRICS.join(', ')})`);
      if ((side === 'min') !== HIGHER_IS_BETTER.has(metric)) {
        throw new ConfigError(field, `${metric} is ${HIGHER_IS_BETTER.has(metric) ? 'higher' : 'lower'}-is-better; put it under ${side === 'min' ? 'max' : 'min'}`);
      }
    }
  }
}

export interface ModelRetrainingInput {
  readonly name: string;
  readonly raw: unknown;
  readonly sla: ReadonlyMap<SlaObjective, number>;
  readonly datasetDriftShare: number;
}

/**
 * Validates the top-level `retraining` section (`targets`, `retry`), `alertsSecret`, and the models' `retraining`
 * policies. Throws a {@link ConfigError} naming the field: a bad target, a policy naming an unknown target, a
 * policy with `alerts: true` while no `alertsSecret` is set, an enabled policy without targets, a volume trigger
 * while records are disabled.
 */
export function readRetrainingConfig(section: unknown, alertsSecret: string | undefined, models: readonly ModelRetrainingInput[], recordsEnabled = true): RetrainingConfig {
  const path = 'config.retraining';
  const top = section === undefined ? new Map<string, unknown>() : readObject(section, path, ['targets', 'retry']);
  const targets = new Map<string, DispatchTarget>();
  if (top.has('targets')) {
    readArray(top.get('targets'), `${path}.targets`).forEach((raw, i) => {
      const target = asConfigError(() => parseDispatchTarget(raw, `${path}.targets[${i}]`));
      if (targets.has(target.name)) throw new ConfigError(`${path}.targets[${i}].name`, `duplicate target name ${describe(target.name)}`);
      targets.set(target.name, target);
    });
  }
  const retry = asConfigError(() => parseRetryPolicy(top.get('retry'), `${path}.retry`));
  const policies = new Map<string, RetrainingPolicy>();
  for (const m of models) {
    if (m.raw === undefined) continue;
    const p = `config.models[${JSON.stringify(m.name)}].retraining`;
    const policy = asConfigError(() => parseRetrainingPolicy(withSlaDefaults(m.raw, p, m.sla, m.datasetDriftShare), p));
    checkPerformanceMetrics(policy, p);
    policy.targets.forEach((name, i) => {
      if (!targets.has(name)) {
        const known = [...targets.keys()];
        throw new ConfigError(`${p}.targets[${i}]`, `${describe(name)} is not a target in config.retraining.targets${known.length > 0 ? ` (${known.join(', ')})` : ' (none defined)'}`);
      }
    });
    if (policy.enabled && policy.targets.length === 0) throw new ConfigError(`${p}.targets`, 'an enabled policy needs at least one dispatch target');
    if (policy.volume && !recordsEnabled) {
      throw new ConfigError(`${p}.volume`, 'counts labelled prediction records, but config.records.enabled is false');
    }
    if (policy.alerts && alertsSecret === undefined) {
      throw new ConfigError('config.alertsSecret', `required when a retraining policy has alerts: true (${p}.alerts); set DRIFTWATCH_ALERTS_SECRET`);
    }
    policies.set(m.name, policy);
  }
  return { targets, retry, ...(alertsSecret === undefined ? {} : { alertsSecret: readString(alertsSecret, 'config.alertsSecret') }), policies };
}
