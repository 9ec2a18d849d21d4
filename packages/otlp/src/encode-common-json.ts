import type { AttributeValue, Attributes, InstrumentationScope, Resource } from './types.js';

/** A JSON-ready value (what JSON.stringify receives). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  }
  return btoa(binary);
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A double in proto3 JSON: a number, or "NaN" / "Infinity" / "-Infinity". */
export function jsonDoubleValue(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

/** An `AnyValue` as OTLP/JSON. Safe-integer numbers and bigints become `intValue` (a decimal string). */
export function anyValueJson(v: AttributeValue): JsonObject {
  if (v === null) return {};
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'bigint':
      return { intValue: v.toString() };
    case 'number':
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? { intValue: String(v) } : { doubleValue: jsonDoubleValue(v) };
    default:
      break;
  }
  if (v instanceof Uint8Array) return { bytesValue: toBase64(v) };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValueJson) } };
  return { kvlistValue: { values: keyValuesJson(v) } };
}

export function keyValuesJson(attributes: Attributes): JsonValue[] {
  return Object.keys(attributes).map((key) => ({ key, value: anyValueJson(attributes[key] as AttributeValue) }));
}

export function resourceJson(resource: Resource): JsonObject {
  return { attributes: keyValuesJson(resource.attributes) };
}

export function scopeJson(scope: InstrumentationScope): JsonObject {
  const o: JsonObject = {};
  if (scope.name !== '') o.name = scope.name;
  if (scope.version !== '') o.version = scope.version;
  const attributes = keyValuesJson(scope.attributes);
  if (attributes.length > 0) o.attributes = attributes;
  return o;
}
