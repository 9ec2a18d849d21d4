import type { FeatureSchema, FeatureType } from '@driftwatch/stats';

/** Strings with whitespace and more than this many characters are taken as free text, not categories. */
export const TEXT_MIN_CHARS = 32;

/** Keys never inferred as features (they identify a prediction, they do not describe it). */
export const ID_KEYS: ReadonlySet<string> = new Set(['id']);

/**
 * The feature type a single value suggests, or `undefined` when it says nothing
 * (null, undefined) or is not a feature value (nested object, function, Date).
 * number/bigint → numeric; boolean → boolean; short string → categorical;
 * string with whitespace longer than {@link TEXT_MIN_CHARS} → text; array or typed array of numbers → embedding.
 */
export function inferFeatureType(value: unknown): FeatureType | undefined {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    case 'string':
      return value.length > TEXT_MIN_CHARS && /\s/.test(value) ? 'text' : 'categorical';
    case 'object':
      if (value === null) return undefined;
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return 'embedding';
      if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number')) return 'embedding';
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Infers a schema from rows: each key takes the type of its first informative value
 * (see {@link inferFeatureType}); `id` keys and keys with no informative value are left out.
 * O(rows × keys).
 */
export function inferSchema(rows: Iterable<Readonly<Record<string, unknown>>>): FeatureSchema {
  const schema: FeatureSchema = Object.create(null) as FeatureSchema;
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (Object.hasOwn(schema, key) || ID_KEYS.has(key)) continue;
      const type = inferFeatureType(row[key]);
      if (type !== undefined) schema[key] = type;
    }
  }
  return schema;
}

/** One line describing a schema for the one-time inference log: `age:numeric, plan:categorical`. */
export function describeSchema(schema: FeatureSchema): string {
  const parts = Object.entries(schema).map(([name, type]) => `${name}:${type}`);
  return parts.length ? parts.join(', ') : '(no features)';
}
