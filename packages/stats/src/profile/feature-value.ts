/**
 * How one raw value of a feature becomes the number or category that is profiled — the same classification the
 * `@driftwatch/instrument` SDK applies when recording (docs/semantic-conventions.md). Unusable values (absent,
 * null, NaN/±Infinity, wrong JS type) come back as `NaN` / `undefined` and are counted as missing.
 *
 * @module
 */

/**
 * The number recorded for a `numeric`, `embedding` or `text` feature, or `NaN` when the value is unusable.
 * - numeric: a finite number (a bigint is converted with `Number`);
 * - embedding: an array or typed array of numbers, recorded as its L2 norm `sqrt(Σ xᵢ²)` (unusable when an
 *   element is not a number or the norm is not finite);
 * - text: a string, recorded as its `length` in UTF-16 code units (what the JS SDK records).
 * Cost: O(1), O(dimensions) for embeddings.
 */
export function featureNumber(type: 'numeric' | 'embedding' | 'text', value: unknown): number {
  if (type === 'numeric') {
    if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
    if (typeof value === 'bigint') return Number(value);
    return NaN;
  }
  if (type === 'text') return typeof value === 'string' ? value.length : NaN;
  if (!(Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))) return NaN;
  const vector = value as ArrayLike<unknown>;
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i];
    if (typeof x !== 'number') return NaN;
    sumOfSquares += x * x;
  }
  const norm = Math.sqrt(sumOfSquares);
  return Number.isFinite(norm) ? norm : NaN;
}

/**
 * The category recorded for a `categorical` or `boolean` feature, or `undefined` when the value is unusable.
 * - categorical: a string as is; a finite number, bigint or boolean as `String(value)`;
 * - boolean: `true`, `1`, `'true'` → `'true'`; `false`, `0`, `'false'` → `'false'`.
 * Cost: O(1).
 */
export function featureCategory(type: 'categorical' | 'boolean', value: unknown): string | undefined {
  if (type === 'boolean') {
    if (value === true || value === 1 || value === 'true') return 'true';
    if (value === false || value === 0 || value === 'false') return 'false';
    return undefined;
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}
