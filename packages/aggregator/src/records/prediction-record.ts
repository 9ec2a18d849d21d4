import type { AttributeValue, LogRecord } from '@driftwatch/otlp';
import { ATTR, LABEL_EVENT, RECORD_EVENT, ROLES } from '../ingest/conventions.js';

/** A JSON value as stored and exported (features, outputs, labels). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A sampled prediction (`event.name = ml.model.record`). */
export interface PredictionRecord {
  readonly kind: 'record';
  readonly model: string;
  readonly version: string;
  readonly predictionId: string;
  readonly timeMs: number;
  readonly role: string;
  readonly sampleRate: number | null;
  /** JSON text of the features object. */
  readonly featuresJson: string;
  readonly featureNames: readonly string[];
  /** JSON text of the output (`null` when absent). */
  readonly outputJson: string;
  /** JSON text of the label, when the record carries it. */
  readonly labelJson: string | null;
}

/** The ground truth of a sampled prediction (`event.name = ml.model.label`). */
export interface LabelRecord {
  readonly kind: 'label';
  readonly model: string;
  readonly predictionId: string;
  readonly timeMs: number;
  readonly labelJson: string;
}

export type ParsedLogRecord = PredictionRecord | LabelRecord | { readonly kind: 'ignored' } | { readonly kind: 'rejected'; readonly reason: string };

/** Largest accepted record body, as JSON text. */
export const MAX_RECORD_BODY_BYTES = 64 * 1024;
const MAX_ID_LENGTH = 256;

const own = (attrs: Readonly<Record<string, AttributeValue>>, key: string): AttributeValue | undefined => (Object.hasOwn(attrs, key) ? attrs[key] : undefined);

function isKvList(v: AttributeValue | undefined): v is { readonly [key: string]: AttributeValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * An OTLP AnyValue as JSON: kvlists become objects (null prototype, so `__proto__` is a plain key), ints beyond
 * 2^53 decimal strings, bytes base64 strings, non-finite doubles null.
 */
export function anyValueToJson(v: AttributeValue | undefined): JsonValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (Array.isArray(v)) return v.map(anyValueToJson);
  const out = Object.create(null) as { [key: string]: JsonValue };
  for (const key of Object.keys(v)) out[key] = anyValueToJson(v[key]);
  return out;
}

function bodyObject(body: AttributeValue): Record<string, JsonValue> | string {
  if (typeof body === 'string') {
    if (body.length > MAX_RECORD_BODY_BYTES) return `body larger than ${MAX_RECORD_BODY_BYTES} bytes`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'body is a string but not JSON';
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'body must be an object';
    return parsed as Record<string, JsonValue>;
  }
  if (!isKvList(body)) return 'body must be a key-value map or a JSON object string';
  return anyValueToJson(body) as Record<string, JsonValue>;
}

function timeMsOf(record: LogRecord, receivedMs: number): number {
  const ns = record.timeUnixNano > 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  if (ns <= 0n) return receivedMs;
  return Math.min(Number(ns / 1_000_000n), receivedMs);
}

function nonEmpty(v: AttributeValue | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * Reads one OTLP log record as a sampled prediction record or a late label (docs/semantic-conventions.md,
 * "Prediction records (logs)"); other events are `ignored`, malformed ones `rejected` with the reason.
 */
export function parseLogRecord(record: LogRecord, receivedMs: number): ParsedLogRecord {
  const attrs = record.attributes;
  const event = record.eventName || own(attrs, ATTR.eventName);
  if (event !== RECORD_EVENT && event !== LABEL_EVENT) return { kind: 'ignored' };
  const model = nonEmpty(own(attrs, ATTR.modelName));
  if (model === undefined) return { kind: 'rejected', reason: `${event} without ${ATTR.modelName}` };
  const predictionId = nonEmpty(own(attrs, ATTR.predictionId));
  if (predictionId === undefined) return { kind: 'rejected', reason: `${event} without ${ATTR.predictionId}` };
  if (predictionId.length > MAX_ID_LENGTH) return { kind: 'rejected', reason: `${ATTR.predictionId} longer than ${MAX_ID_LENGTH} characters` };
  const body = bodyObject(record.body);
  if (typeof body === 'string') return { kind: 'rejected', reason: `${event}: ${body}` };
  const timeMs = timeMsOf(record, receivedMs);
  const label = Object.hasOwn(body, 'label') ? (body['label'] ?? null) : null;
  if (event === LABEL_EVENT) {
    if (label === null) return { kind: 'rejected', reason: `${LABEL_EVENT} without a label in its body` };
    return { kind: 'label', model, predictionId, timeMs, labelJson: JSON.stringify(label) };
  }
  const version = nonEmpty(own(attrs, ATTR.modelVersion));
  if (version === undefined) return { kind: 'rejected', reason: `${RECORD_EVENT} without ${ATTR.modelVersion}` };
  const features = Object.hasOwn(body, 'features') ? body['features'] : undefined;
  if (features === null || typeof features !== 'object' || Array.isArray(features)) return { kind: 'rejected', reason: `${RECORD_EVENT}: body.features must be an object` };
  const featuresJson = JSON.stringify(features);
  const outputJson = JSON.stringify(Object.hasOwn(body, 'output') ? (body['output'] ?? null) : null);
  const labelJson = label === null ? null : JSON.stringify(label);
  if (featuresJson.length + outputJson.length + (labelJson?.length ?? 0) > MAX_RECORD_BODY_BYTES) {
    return { kind: 'rejected', reason: `${RECORD_EVENT}: body larger than ${MAX_RECORD_BODY_BYTES} bytes` };
  }
  const roleAttr = nonEmpty(own(attrs, ATTR.role));
  const role = roleAttr !== undefined && (ROLES as readonly string[]).includes(roleAttr) ? roleAttr : 'primary';
  const rate = own(attrs, ATTR.sampleRate);
  const sampleRate = typeof rate === 'number' && rate > 0 && rate <= 1 ? rate : null;
  return { kind: 'record', model, version, predictionId, timeMs, role, sampleRate, featuresJson, featureNames: Object.keys(features), outputJson, labelJson };
}
