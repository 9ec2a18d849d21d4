import { emptyAttributes } from './attributes.js';
import type { MutableAttributes } from './attributes.js';
import { MAX_ANY_VALUE_DEPTH } from './decode-common-protobuf.js';
import {
  jsonArray,
  jsonBase64Bytes,
  jsonBool,
  jsonDouble,
  jsonInt64Exact,
  jsonObject,
  jsonString,
} from './json-scalars.js';
import { OtlpDecodeError, rethrowAt } from './otlp-decode-error.js';
import type { AttributeValue, InstrumentationScope, Resource } from './types.js';

const ANY_VALUE_KEYS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] as const;

/**
 * Parses OTLP/JSON text. A leading byte-order mark is ignored; anything JSON.parse rejects, or a top level that
 * is not an object, is an OtlpDecodeError.
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OtlpDecodeError('the request must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Decodes an `AnyValue` object. Exactly one value key may be set (a oneof); none set gives `null`. */
export function jsonAnyValue(v: unknown, depth: number): AttributeValue {
  if (depth > MAX_ANY_VALUE_DEPTH) throw new OtlpDecodeError(`AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  const o = jsonObject(v, '');
  if (o === undefined) return null;
  let found: (typeof ANY_VALUE_KEYS)[number] | undefined;
  for (const key of ANY_VALUE_KEYS) {
    if (o[key] === undefined || o[key] === null) continue;
    if (found !== undefined) throw new OtlpDecodeError(`AnyValue has both ${found} and ${key} set`);
    found = key;
  }
  switch (found) {
    case undefined:
      return null;
    case 'stringValue':
      return jsonString(o.stringValue, 'stringValue');
    case 'boolValue':
      return jsonBool(o.boolValue, 'boolValue');
    case 'intValue':
      return jsonInt64Exact(o.intValue, 'intValue');
    case 'doubleValue':
      return jsonDouble(o.doubleValue, 'doubleValue');
    case 'bytesValue':
      return jsonBase64Bytes(o.bytesValue, 'bytesValue');
    case 'arrayValue': {
      const values = jsonArray(jsonObject(o.arrayValue, 'arrayValue')?.values, 'arrayValue.values');
      const items: AttributeValue[] = [];
      for (let i = 0; i < values.length; i++) {
        try {
          items.push(jsonAnyValue(values[i], depth + 1));
        } catch (err) {
          rethrowAt(err, 'arrayValue.values', i);
        }
      }
      return items;
    }
    case 'kvlistValue': {
      const map = emptyAttributes();
      try {
        jsonKeyValuesInto(jsonObject(o.kvlistValue, '')?.values, map, depth + 1, 'values');
      } catch (err) {
        rethrowAt(err, 'kvlistValue');
      }
      return map;
    }
  }
}

/** Decodes a `KeyValue[]` array into `into` (later duplicate keys replace earlier ones). */
export function jsonKeyValuesInto(v: unknown, into: MutableAttributes, depth: number, field: string): void {
  const list = jsonArray(v, field);
  for (let i = 0; i < list.length; i++) {
    try {
      const kv = jsonObject(list[i], '');
      if (kv === undefined) continue;
      const key = jsonString(kv.key, 'key');
      let value: AttributeValue;
      try {
        value = jsonAnyValue(kv.value, depth);
      } catch (err) {
        rethrowAt(err, 'value');
      }
      into[key] = value;
    } catch (err) {
      rethrowAt(err, field, i);
    }
  }
}

/** Decodes a `repeated KeyValue attributes` field into a null-prototype map. */
export function jsonAttributes(v: unknown): MutableAttributes {
  const attributes = emptyAttributes();
  jsonKeyValuesInto(v, attributes, 0, 'attributes');
  return attributes;
}

export function jsonResource(v: unknown): Resource {
  try {
    const o = jsonObject(v, '');
    return { attributes: jsonAttributes(o?.attributes) };
  } catch (err) {
    rethrowAt(err, 'resource');
  }
}

export function jsonScope(v: unknown): InstrumentationScope {
  try {
    const o = jsonObject(v, '');
    return { name: jsonString(o?.name, 'name'), version: jsonString(o?.version, 'version'), attributes: jsonAttributes(o?.attributes) };
  } catch (err) {
    rethrowAt(err, 'scope');
  }
}

/** Decodes each element of a JSON array field with `read`, adding `field[i]` to the path on errors. */
export function jsonList<T>(v: unknown, field: string, read: (item: Record<string, unknown>) => T): T[] {
  const list = jsonArray(v, field);
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      out.push(read(jsonObject(list[i], '') ?? {}));
    } catch (err) {
      rethrowAt(err, field, i);
    }
  }
  return out;
}
