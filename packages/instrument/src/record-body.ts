/** Bodies larger than this (UTF-8 bytes) are rejected by the aggregator, so the SDK drops them (docs/semantic-conventions.md). */
export const MAX_RECORD_BODY_BYTES = 65_536;

/** JSON replacer: typed arrays become arrays, BigInts decimal strings (NaN and ±Infinity are `null` by JSON itself). */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
  return value;
}

/** A primitive JSON.stringify handles without a replacer (not a BigInt, not an object). */
function isPlainPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'undefined' || v === null;
}

/** An object whose values (and array elements, one level down) are all plain primitives: no replacer needed. */
function isShallowPlain(value: unknown): boolean {
  if (isPlainPrimitive(value)) return true;
  if (typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  const values = Array.isArray(value) ? value : Object.values(value as object);
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (isPlainPrimitive(v)) continue;
    if (!Array.isArray(v)) return false;
    for (let j = 0; j < v.length; j++) if (!isPlainPrimitive(v[j])) return false;
  }
  return true;
}

/** JSON text of a value; the (slower) replacer only runs for values that need it. */
function toJson(value: unknown): string {
  return (isShallowPlain(value) && !hasToJson(value) ? JSON.stringify(value) : JSON.stringify(value, replacer)) ?? 'null';
}

function hasToJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** Why a body could not be built. */
export type BodyProblem = 'too_large' | 'unserializable';

/**
 * The JSON text of a prediction record's body, `{"features":…,"output":…}`, snapshotting `row` and
 * `output` now (the caller may mutate them later). Returns a {@link BodyProblem} when the values cannot
 * be serialised (a cycle, a throwing `toJSON`) or the text is over {@link MAX_RECORD_BODY_BYTES}.
 * Cost: one `JSON.stringify` of the row and the output.
 */
export function predictionBody(row: unknown, output: unknown): string | BodyProblem {
  let text: string;
  try {
    text = `{"features":${toJson(row)},"output":${toJson(output)}}`;
  } catch {
    return 'unserializable';
  }
  return fits(text) ? text : 'too_large';
}

/** The JSON text of a label record's body, `{"label":…}`. */
export function labelBody(label: unknown): string | BodyProblem {
  let text: string;
  try {
    text = `{"label":${toJson(label)}}`;
  } catch {
    return 'unserializable';
  }
  return fits(text) ? text : 'too_large';
}

function fits(text: string): boolean {
  // a UTF-16 code unit is at most 3 UTF-8 bytes: only long texts need counting
  return text.length * 3 <= MAX_RECORD_BODY_BYTES || Buffer.byteLength(text, 'utf8') <= MAX_RECORD_BODY_BYTES;
}
