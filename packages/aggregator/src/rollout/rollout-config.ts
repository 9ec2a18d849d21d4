import { DEFAULT_ROLLOUT_POLICY, parseRolloutPolicy, type RolloutPolicy } from '@driftwatch/lifecycle';
import { asConfigError } from '../config/lifecycle-config-error.js';
import { readDurationMs, readObject } from '../config/config-reader.js';

/** How the aggregator runs a model's rollouts: the lifecycle policy plus when a measurement is taken. */
export interface RolloutSettings {
  /** Steps, limits and analysis thresholds (`@driftwatch/lifecycle` `parseRolloutPolicy`, snake_case keys). */
  readonly policy: RolloutPolicy;
  /**
   * A measurement is taken as soon as both sides have the blocking minimum sample since the previous one, or after
   * this long with whatever came (then usually inconclusive, which counts toward `inconclusive_limit`).
   */
  readonly measurementTimeoutMs: number;
}

export interface RolloutConfig {
  /** The top-level `rollout` section (every model). */
  readonly defaults: RolloutSettings;
  /** `models.<name>.rollout`, merged over the defaults. */
  readonly models: ReadonlyMap<string, RolloutSettings>;
}

export const DEFAULT_MEASUREMENT_TIMEOUT_MS = 300_000;
export const DEFAULT_ROLLOUT_SETTINGS: RolloutSettings = { policy: DEFAULT_ROLLOUT_POLICY, measurementTimeoutMs: DEFAULT_MEASUREMENT_TIMEOUT_MS };
export const DEFAULT_ROLLOUT_CONFIG: RolloutConfig = { defaults: DEFAULT_ROLLOUT_SETTINGS, models: new Map() };

/** The aggregator's own key of a `rollout` section; the others are the lifecycle policy's. */
const MEASUREMENT_TIMEOUT = 'measurement_timeout';
const POLICY_KEYS = ['steps', 'measurements_per_step', 'failure_limit', 'inconclusive_limit', 'analysis'];

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `over` on top of `base`: objects merge key by key, anything else (lists included) replaces. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(over)) {
    const b = out[key];
    const o = over[key];
    out[key] = isPlain(b) && isPlain(o) ? deepMerge(b, o) : o;
  }
  return out;
}

/** A plain copy of a section (own keys only; `__proto__` stays data). */
function plainCopy(map: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of map) out[k] = v;
  return out;
}

function parseSettings(raw: Record<string, unknown>, path: string): RolloutSettings {
  const { [MEASUREMENT_TIMEOUT]: timeout, ...policyRaw } = raw;
  const policy = asConfigError(() => parseRolloutPolicy({ ...policyRaw }, path));
  return {
    policy,
    measurementTimeoutMs: timeout === undefined ? DEFAULT_MEASUREMENT_TIMEOUT_MS : readDurationMs(timeout, `${path}.${MEASUREMENT_TIMEOUT}`),
  };
}

/**
 * Validates the top-level `rollout` section and every `models.<name>.rollout` (merged over it key by key, so a model
 * can change one threshold). Throws {@link ConfigError} naming the field, e.g.
 * `config.models["churn"].rollout.steps: the last weight must be 100 (the promotion)`.
 */
export function readRolloutConfig(value: unknown, models: ReadonlyArray<{ readonly name: string; readonly raw: unknown }>, path = 'config.rollout'): RolloutConfig {
  const baseRaw = value === undefined ? {} : plainCopy(readObject(value, path, [...POLICY_KEYS, MEASUREMENT_TIMEOUT]));
  const defaults = value === undefined ? DEFAULT_ROLLOUT_SETTINGS : parseSettings(baseRaw, path);
  const out = new Map<string, RolloutSettings>();
  for (const { name, raw } of models) {
    if (raw === undefined) continue;
    const modelPath = `config.models[${JSON.stringify(name)}].rollout`;
    const own = plainCopy(readObject(raw, modelPath, [...POLICY_KEYS, MEASUREMENT_TIMEOUT]));
    out.set(name, parseSettings(deepMerge(baseRaw, own), modelPath));
  }
  return { defaults, models: out };
}

/** The settings a model's rollouts use. */
export function rolloutSettingsOf(config: RolloutConfig, model: string): RolloutSettings {
  return config.models.get(model) ?? config.defaults;
}
