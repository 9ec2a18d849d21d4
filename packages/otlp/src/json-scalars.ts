import { OtlpDecodeError } from './otlp-decode-error.js';

/**
 * Readers of proto3 JSON scalar values (https://protobuf.dev/programming-guides/json/) as used by OTLP/JSON:
 * `null` or an absent key gives the field's default; 64-bit integers are accepted as decimal strings or numbers;
 * doubles as numbers or the strings "NaN", "Infinity", "-Infinity" (or a numeric string). Each reader throws
 * OtlpDecodeError with the field name as path.
 */

type JsonObject = Record<string, unknown>;

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function bad(field: string, expected: string, v: unknown): never {
  throw new OtlpDecodeError(`expected ${expected}, got ${describe(v)}`, field);
}

/** A JSON object, or undefined for null / absent. */
export function jsonObject(v: unknown, field: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) bad(field, 'an object', v);
  return v as JsonObject;
}

/** A JSON array (null / absent → empty). */
export function jsonArray(v: unknown, field: string): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) bad(field, 'an array', v);
  return v;
}

export function jsonString(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') bad(field, 'a string', v);
  return v;
}

export function jsonBool(v: unknown, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') bad(field, 'a boolean', v);
  return v;
}

function integerBig(v: unknown, field: string, signed: boolean): bigint {
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) bad(field, 'an integer', v);
    n = BigInt(v);
  } else if (typeof v === 'string' && (signed ? SIGNED : UNSIGNED).test(v)) {
    n = BigInt(v);
  } else {
    bad(field, signed ? 'an int64 (decimal string or number)' : 'a uint64 (decimal string or number)', v);
  }
  if (signed ? n < INT64_MIN || n > INT64_MAX : n < 0n || n > UINT64_MAX) {
    throw new OtlpDecodeError(`${v} is out of the ${signed ? 'int64' : 'uint64'} range`, field);
  }
  return n;
}

/** uint64 as bigint (timestamps). */
export function jsonUint64Big(v: unknown, field: string): bigint {
  if (v === undefined || v === null) return 0n;
  return integerBig(v, field, false);
}

/** uint64 as a double (counts; exact up to 2^53). */
export function jsonUint64Number(v: unknown, field: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  return Number(integerBig(v, field, false));
}

/** int64 as a double. */
export function jsonInt64Number(v: unknown, field: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  return Number(integerBig(v, field, true));
}

/** int64 exactly: a number when it is a safe integer, otherwise a bigint. */
export function jsonInt64Exact(v: unknown, field: string): number | bigint {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  const n = integerBig(v, field, true);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function int32Range(v: unknown, field: string, min: number, max: number, what: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && SIGNED.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) bad(field, `an ${what}`, v);
  if (n < min || n > max) throw new OtlpDecodeError(`${n} is out of the ${what} range`, field);
  return n;
}

export function jsonInt32(v: unknown, field: string): number {
  return int32Range(v, field, -2147483648, 2147483647, 'int32');
}

export function jsonUint32(v: unknown, field: string): number {
  return int32Range(v, field, 0, 4294967295, 'uint32');
}

/** A double (null / absent → 0). */
export function jsonDouble(v: unknown, field: string): number {
  if (v === undefined || v === null) return 0;
  return doubleValue(v, field);
}

/** An `optional double` (null / absent → undefined). */
export function jsonOptionalDouble(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  return doubleValue(v, field);
}

function doubleValue(v: unknown, field: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = v.trim() === '' ? NaN : Number(v);
    if (Number.isFinite(n)) return n;
  }
  bad(field, 'a number', v);
}

/**
 * An enum: its integer value (what OTLP/JSON requires) or, leniently, its proto name from `names`.
 */
export function jsonEnum(v: unknown, field: string, names: Readonly<Record<string, number>>): number {
  if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(names, v)) return names[v]!;
  return jsonInt32(v, field);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** A hex-encoded bytes field (OTLP/JSON `traceId`, `spanId`); empty / absent → undefined. */
export function jsonHexBytes(v: unknown, field: string): Uint8Array | undefined {
  const s = jsonString(v, field);
  if (s === '') return undefined;
  if (!HEX.test(s)) bad(field, 'a hex string', v);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** A base64 bytes field (standard or URL-safe alphabet, padding optional), per the proto3 JSON mapping. */
export function jsonBase64Bytes(v: unknown, field: string): Uint8Array {
  const s = jsonString(v, field);
  if (!BASE64.test(s) || s.replace(/=+$/, '').length % 4 === 1) bad(field, 'a base64 string', v);
  const normalized = s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const binary = atob(normalized + '='.repeat((4 - (normalized.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
