import type { IncomingMessage } from 'node:http';
import { badRequest } from './http-error.js';
import { readJson } from './read-json.js';

/** Largest JSON body of the admin write endpoints (registry, rollout). */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON object body with only the `allowed` keys (400 naming an unknown key, so a typo such as `reasn` is
 * caught rather than ignored). The result has a null prototype: a key named `__proto__` stays plain data.
 */
export async function readObjectBody(req: IncomingMessage, allowed: readonly string[]): Promise<Record<string, unknown>> {
  const body = await readJson(req, MAX_ADMIN_BODY_BYTES);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body must be a JSON object');
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw badRequest(`${key}: unknown field (expected one of ${allowed.join(', ')})`);
    out[key] = (body as Record<string, unknown>)[key];
  }
  return out;
}

/** A string field: 400 naming it when absent (if required), not a string, empty or longer than `maxLength`. */
export function stringField(body: Record<string, unknown>, key: string, options: { required: true; maxLength?: number }): string;
export function stringField(body: Record<string, unknown>, key: string, options?: { required?: false; maxLength?: number }): string | undefined;
export function stringField(body: Record<string, unknown>, key: string, options: { required?: boolean; maxLength?: number } = {}): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (options.required) throw badRequest(`${key}: required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`${key}: expected a non-empty string`);
  const max = options.maxLength ?? 1000;
  if (value.length > max) throw badRequest(`${key}: longer than ${max} characters`);
  return value;
}

/** A finite number field within [min, max]; 400 naming it otherwise. */
export function numberField(body: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw badRequest(`${key}: expected a number in [${min}, ${max}]`);
  return value;
}

/** A version label: a non-empty string (a number is accepted and written in decimal, `4` → `"4"`). */
export function versionField(body: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = body[key];
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
  return required ? stringField(body, key, { required: true, maxLength: 256 }) : stringField(body, key, { maxLength: 256 });
}
