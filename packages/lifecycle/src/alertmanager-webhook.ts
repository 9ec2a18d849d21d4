import { expectObject, isPlainObject } from './config-fields.js';
import type { PlainObject } from './config-fields.js';
import type { AlertObservation } from './trigger-evaluation.js';
import { ValidationError, describeValue, joinPath } from './validation-error.js';

/** One alert of an Alertmanager webhook notification. */
export interface AlertmanagerAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly startsAtMs: number;
  readonly endsAt: string;
  /** `null` for Alertmanager's zero time (`0001-01-01T00:00:00Z`): the alert has no end yet. */
  readonly endsAtMs: number | null;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** Alertmanager's webhook payload, version 4 (`webhook_config` receivers). */
export interface AlertmanagerWebhook {
  readonly version: '4';
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly commonAnnotations: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly alerts: readonly AlertmanagerAlert[];
}

function str(obj: PlainObject, key: string, path: string, required: boolean): string {
  const value = obj[key];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string') throw new ValidationError(joinPath(path, key), `expected a string, got ${describeValue(value)}`);
  return value;
}

function status(obj: PlainObject, path: string): 'firing' | 'resolved' {
  const value = obj['status'];
  if (value !== 'firing' && value !== 'resolved') {
    throw new ValidationError(joinPath(path, 'status'), `expected "firing" or "resolved", got ${describeValue(value)}`);
  }
  return value;
}

function labelMap(obj: PlainObject, key: string, path: string): Record<string, string> {
  const value = obj[key];
  if (value === undefined || value === null) return {};
  const field = joinPath(path, key);
  if (!isPlainObject(value)) throw new ValidationError(field, `expected an object of strings, got ${describeValue(value)}`);
  const out: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw new ValidationError(joinPath(field, name), `expected a string, got ${describeValue(item)}`);
    out[name] = item;
  }
  return out;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function timestamp(text: string, path: string): number | null {
  if (!RFC3339.test(text)) throw new ValidationError(path, `${describeValue(text)} is not an RFC 3339 timestamp`);
  if (text.startsWith('0001-01-01')) return null;
  const ms = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  if (Number.isNaN(ms)) throw new ValidationError(path, `${describeValue(text)} is not a valid date`);
  return ms;
}

function parseAlert(raw: unknown, path: string): AlertmanagerAlert {
  const obj = expectObject(raw, path);
  const startsAt = str(obj, 'startsAt', path, true);
  const startsAtMs = timestamp(startsAt, joinPath(path, 'startsAt'));
  if (startsAtMs === null) throw new ValidationError(joinPath(path, 'startsAt'), 'is the zero time');
  const endsAt = str(obj, 'endsAt', path, false);
  return {
    status: status(obj, path),
    labels: labelMap(obj, 'labels', path),
    annotations: labelMap(obj, 'annotations', path),
    startsAt,
    startsAtMs,
    endsAt,
    endsAtMs: endsAt === '' ? null : timestamp(endsAt, joinPath(path, 'endsAt')),
    generatorURL: str(obj, 'generatorURL', path, false),
    fingerprint: str(obj, 'fingerprint', path, true),
  };
}

/**
 * Parses and validates an Alertmanager webhook notification (payload `version: "4"`), given the raw
 * request body text or the already-decoded JSON. Throws {@link ValidationError} naming the field,
 * e.g. `alerts[0].fingerprint: expected a string, got undefined` (an HTTP route maps it to 400).
 * Unknown extra fields are ignored, as Alertmanager may add some. Cost: O(payload size).
 */
export function parseAlertmanagerWebhook(body: string | unknown): AlertmanagerWebhook {
  let raw: unknown = body;
  if (typeof body === 'string') {
    try {
      raw = JSON.parse(body);
    } catch {
      throw new ValidationError('', 'request body is not valid JSON');
    }
  }
  const obj = expectObject(raw, '');
  if (obj['version'] !== '4') {
    throw new ValidationError('version', `unsupported Alertmanager webhook version ${describeValue(obj['version'])} (expected "4")`);
  }
  const alerts = obj['alerts'];
  if (!Array.isArray(alerts)) throw new ValidationError('alerts', `expected a list, got ${describeValue(alerts)}`);
  const truncated = obj['truncatedAlerts'] ?? 0;
  if (typeof truncated !== 'number' || !Number.isInteger(truncated) || truncated < 0) {
    throw new ValidationError('truncatedAlerts', `expected a non-negative integer, got ${describeValue(truncated)}`);
  }
  return {
    version: '4',
    groupKey: str(obj, 'groupKey', '', true),
    truncatedAlerts: truncated,
    status: status(obj, ''),
    receiver: str(obj, 'receiver', '', true),
    groupLabels: labelMap(obj, 'groupLabels', ''),
    commonLabels: labelMap(obj, 'commonLabels', ''),
    commonAnnotations: labelMap(obj, 'commonAnnotations', ''),
    externalURL: str(obj, 'externalURL', '', false),
    alerts: alerts.map((alert: unknown, index) => parseAlert(alert, joinPath('alerts', index))),
  };
}

/**
 * The firing alerts of a notification, grouped by model (the value of `modelLabel`, default
 * `model`, which the driftwatch alert rules carry), as trigger observations. Resolved alerts and
 * alerts without the label are left out.
 */
export function alertsForModel(webhook: AlertmanagerWebhook, modelLabel = 'model'): Map<string, AlertObservation[]> {
  const byModel = new Map<string, AlertObservation[]>();
  for (const alert of webhook.alerts) {
    const model = alert.labels[modelLabel];
    if (alert.status !== 'firing' || model === undefined || model === '') continue;
    const list = byModel.get(model) ?? [];
    list.push({ alertname: alert.labels['alertname'] ?? '', fingerprint: alert.fingerprint, startsAtMs: alert.startsAtMs });
    byModel.set(model, list);
  }
  return byModel;
}
