import { CronSyntaxError, nextCronMatch, parseCron } from './cron.js';
import type { CronSchedule } from './cron.js';
import {
  expectObject,
  readNumber,
  readNumberMap,
  readOptionalBoolean,
  readOptionalNumber,
  readStringList,
  rejectUnknownKeys,
} from './config-fields.js';
import type { PlainObject } from './config-fields.js';
import { parseDurationMs } from './duration.js';
import { ValidationError, describeValue, joinPath } from './validation-error.js';

/** Drift condition: dataset drift share and/or drift on listed features, sustained for a while. */
export interface DriftTriggerPolicy {
  /** Fire when the model's drift share is ≥ this (0–1); `null` = dataset drift not used. */
  readonly share: number | null;
  /** Fire when any of these features has drifted (the aggregator's per-feature verdict). */
  readonly features: readonly string[];
  /** The condition must hold this long before it fires. */
  readonly sustainedForMs: number;
}

/** Performance condition: a metric on the wrong side of the model's objective. */
export interface PerformanceTriggerPolicy {
  /** Lower bounds for higher-is-better metrics, e.g. `{ accuracy: 0.8 }`. */
  readonly min: Readonly<Record<string, number>>;
  /** Upper bounds for lower-is-better metrics, e.g. `{ mae: 3 }`. */
  readonly max: Readonly<Record<string, number>>;
  /** Joined labels needed before the metric is trusted. */
  readonly minSamples: number;
  readonly sustainedForMs: number;
}

/** Volume condition: enough new labelled records since the last training. */
export interface VolumeTriggerPolicy {
  readonly newLabels: number;
}

/** A model's validated retraining policy (output of {@link parseRetrainingPolicy}). */
export interface RetrainingPolicy {
  readonly enabled: boolean;
  /** Time trigger (UTC cron), or `null`. */
  readonly schedule: CronSchedule | null;
  readonly drift: DriftTriggerPolicy | null;
  readonly performance: PerformanceTriggerPolicy | null;
  readonly volume: VolumeTriggerPolicy | null;
  /** Whether firing Alertmanager alerts for the model (see `alertsForModel`) start a retraining. */
  readonly alerts: boolean;
  /** After a retraining is requested, no other one for this long. */
  readonly cooldownMs: number;
  /** Names of the dispatch targets to call; the lead resolves them to target configs. */
  readonly targets: readonly string[];
}

const POLICY_KEYS = ['enabled', 'schedule', 'cooldown', 'drift', 'performance', 'volume', 'alerts', 'targets'];
const DEFAULT_COOLDOWN = '6h';

/** Reads a Prometheus-style duration field (`30m`, `1h30m`); throws naming the field. */
export function readDuration(obj: PlainObject, key: string, path: string, fallback: string): number {
  const value = obj[key] ?? fallback;
  const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined) throw new ValidationError(joinPath(path, key), `${describeValue(value)} is not a duration (e.g. 90s, 30m, 6h, 1h30m)`);
  return ms;
}

function parseSchedule(value: unknown, path: string): CronSchedule | null {
  if (value === undefined || value === null) return null;
  const field = joinPath(path, 'schedule');
  if (typeof value !== 'string') throw new ValidationError(field, `expected a cron expression string, got ${describeValue(value)}`);
  let schedule: CronSchedule;
  try {
    schedule = parseCron(value);
  } catch (error) {
    if (error instanceof CronSyntaxError) throw new ValidationError(field, `${describeValue(value)} is not a cron expression: ${error.message}`);
    throw error;
  }
  if (nextCronMatch(schedule, Date.UTC(2000, 0, 1)) === null) {
    throw new ValidationError(field, `${describeValue(value)} never matches a date`);
  }
  return schedule;
}

function parseDrift(value: unknown, path: string): DriftTriggerPolicy | null {
  if (value === undefined || value === null) return null;
  const obj = expectObject(value, path);
  rejectUnknownKeys(obj, ['share', 'features', 'sustained_for'], path);
  const share = obj['share'] === undefined ? null : readNumber(obj, 'share', path, { min: 0, max: 1 });
  const features = readStringList(obj, 'features', path);
  if (share === null && features.length === 0) {
    throw new ValidationError(path, 'needs `share` (dataset drift) or `features` (feature drift), or both');
  }
  return { share, features, sustainedForMs: readDuration(obj, 'sustained_for', path, '0') };
}

function parsePerformance(value: unknown, path: string): PerformanceTriggerPolicy | null {
  if (value === undefined || value === null) return null;
  const obj = expectObject(value, path);
  rejectUnknownKeys(obj, ['min', 'max', 'min_samples', 'sustained_for'], path);
  const min = readNumberMap(obj, 'min', path);
  const max = readNumberMap(obj, 'max', path);
  if (Object.keys(min).length === 0 && Object.keys(max).length === 0) {
    throw new ValidationError(path, 'needs at least one objective in `min` (e.g. accuracy: 0.8) or `max` (e.g. mae: 3)');
  }
  return {
    min,
    max,
    minSamples: readOptionalNumber(obj, 'min_samples', path, 100, { min: 0, integer: true }),
    sustainedForMs: readDuration(obj, 'sustained_for', path, '0'),
  };
}

function parseVolume(value: unknown, path: string): VolumeTriggerPolicy | null {
  if (value === undefined || value === null) return null;
  const obj = expectObject(value, path);
  rejectUnknownKeys(obj, ['new_labels'], path);
  return { newLabels: readNumber(obj, 'new_labels', path, { min: 1, integer: true }) };
}

/**
 * Validates a model's retraining policy as written in the aggregator config (snake_case keys) and
 * returns the normalized {@link RetrainingPolicy}. Throws {@link ValidationError} naming the field,
 * e.g. `models.churn.retraining.cooldown: "5x" is not a duration (…)`.
 *
 * ```yaml
 * retraining:
 *   schedule: "0 3 * * 1"      # Mondays 03:00 UTC
 *   cooldown: 6h               # default 6h
 *   drift: { share: 0.5, features: [tenure], sustained_for: 30m }
 *   performance: { min: { accuracy: 0.8 }, max: { mae: 3 }, min_samples: 100, sustained_for: 15m }
 *   volume: { new_labels: 10000 }
 *   alerts: true               # default false
 *   targets: [retrain-gha]
 * ```
 */
export function parseRetrainingPolicy(raw: unknown, path = 'retraining'): RetrainingPolicy {
  const obj = expectObject(raw, path);
  rejectUnknownKeys(obj, POLICY_KEYS, path);
  return {
    enabled: readOptionalBoolean(obj, 'enabled', path, true),
    schedule: parseSchedule(obj['schedule'], path),
    drift: parseDrift(obj['drift'], joinPath(path, 'drift')),
    performance: parsePerformance(obj['performance'], joinPath(path, 'performance')),
    volume: parseVolume(obj['volume'], joinPath(path, 'volume')),
    alerts: readOptionalBoolean(obj, 'alerts', path, false),
    cooldownMs: readDuration(obj, 'cooldown', path, DEFAULT_COOLDOWN),
    targets: readStringList(obj, 'targets', path),
  };
}
