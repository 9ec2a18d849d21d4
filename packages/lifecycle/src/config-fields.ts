import { ValidationError, describeValue, joinPath } from './validation-error.js';

/**
 * Small readers for plain-data configuration and payloads. Each reads one field of an object,
 * checks its type and throws a {@link ValidationError} naming the field when it is wrong.
 */

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, path: string): PlainObject {
  if (!isPlainObject(value)) throw new ValidationError(path, `expected an object, got ${describeValue(value)}`);
  return value;
}

/** Throws when `obj` has keys outside `allowed` (catches typos such as `cooldwon`). */
export function rejectUnknownKeys(obj: PlainObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(joinPath(path, key), `unknown field (expected one of: ${allowed.join(', ')})`);
    }
  }
}

export function readString(obj: PlainObject, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError(joinPath(path, key), `expected a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

export function readOptionalString(obj: PlainObject, key: string, path: string): string | undefined {
  return obj[key] === undefined ? undefined : readString(obj, key, path);
}

export function readNumber(
  obj: PlainObject,
  key: string,
  path: string,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = obj[key];
  const field = joinPath(path, key);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, `expected a finite number, got ${describeValue(value)}`);
  }
  if (range.integer === true && !Number.isInteger(value)) throw new ValidationError(field, `expected an integer, got ${value}`);
  if (range.min !== undefined && value < range.min) throw new ValidationError(field, `must be ≥ ${range.min}, got ${value}`);
  if (range.max !== undefined && value > range.max) throw new ValidationError(field, `must be ≤ ${range.max}, got ${value}`);
  return value;
}

export function readOptionalNumber(
  obj: PlainObject,
  key: string,
  path: string,
  fallback: number,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  return obj[key] === undefined ? fallback : readNumber(obj, key, path, range);
}

export function readOptionalBoolean(obj: PlainObject, key: string, path: string, fallback: boolean): boolean {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ValidationError(joinPath(path, key), `expected true or false, got ${describeValue(value)}`);
  }
  return value;
}

export function readStringList(obj: PlainObject, key: string, path: string): string[] {
  const value = obj[key];
  if (value === undefined) return [];
  const field = joinPath(path, key);
  if (!Array.isArray(value)) throw new ValidationError(field, `expected a list of strings, got ${describeValue(value)}`);
  return value.map((item: unknown, index) => {
    if (typeof item !== 'string' || item === '') {
      throw new ValidationError(joinPath(field, index), `expected a non-empty string, got ${describeValue(item)}`);
    }
    return item;
  });
}

/** A `{ name: string }` map, e.g. extra headers or workflow inputs. */
export function readStringMap(obj: PlainObject, key: string, path: string): Record<string, string> {
  const value = obj[key];
  if (value === undefined) return {};
  const field = joinPath(path, key);
  const map = expectObject(value, field);
  const out: Record<string, string> = {};
  for (const [name, item] of Object.entries(map)) {
    if (typeof item !== 'string') throw new ValidationError(joinPath(field, name), `expected a string, got ${describeValue(item)}`);
    out[name] = item;
  }
  return out;
}

/** A `{ name: number }` map, e.g. performance thresholds. */
export function readNumberMap(obj: PlainObject, key: string, path: string): Record<string, number> {
  const value = obj[key];
  if (value === undefined) return {};
  const field = joinPath(path, key);
  const map = expectObject(value, field);
  const out: Record<string, number> = {};
  for (const name of Object.keys(map)) out[name] = readNumber(map, name, field);
  return out;
}
