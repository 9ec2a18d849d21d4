import { ConfigError } from './config-error.js';
import { parseDurationMs } from './duration.js';

/** The keys of a config object as a Map (never a prototype lookup, so `__proto__` is plain data). */
export function readObject(value: unknown, path: string, allowedKeys?: readonly string[]): Map<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(path, `expected an object, got ${describe(value)}`);
  }
  const out = new Map<string, unknown>();
  for (const key of Object.keys(value)) {
    if (allowedKeys && !allowedKeys.includes(key)) {
      throw new ConfigError(`${path}.${key}`, `unknown key (expected one of ${allowedKeys.join(', ')})`);
    }
    out.set(key, (value as Record<string, unknown>)[key]);
  }
  return out;
}

export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ConfigError(path, `expected a list, got ${describe(value)}`);
  return value;
}

export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(path, `expected a non-empty string, got ${describe(value)}`);
  return value;
}

export function readNumber(value: unknown, path: string, min: number, max: number): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || n > max) {
    throw new ConfigError(path, `${describe(value)} is not a number in [${min}, ${max}]`);
  }
  return n;
}

export function readInteger(value: unknown, path: string, min: number, max: number): number {
  const n = readNumber(value, path, min, max);
  if (!Number.isInteger(n)) throw new ConfigError(path, `${describe(value)} is not an integer in [${min}, ${max}]`);
  return n;
}

export function readPort(value: unknown, path: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(path, `${describe(value)} is not a port number (0-65535)`);
  }
  return n;
}

export function readDurationMs(value: unknown, path: string): number {
  const ms = typeof value === 'string' ? parseDurationMs(value) : undefined;
  if (ms === undefined) throw new ConfigError(path, `${describe(value)} is not a duration like 15m, 1h or 24h`);
  return ms;
}

export function readEnum<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(path, `${describe(value)} is not one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw new ConfigError(path, `${describe(value)} is not a boolean`);
}

/** A short, quoted rendering of a bad value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
