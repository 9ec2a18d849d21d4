import type { ChangeContext, RegisterVersionInput } from './model-registry.js';
import { RegistryError } from './model-registry.js';

/**
 * Input rules shared by every registry implementation, so both behave the same (and the MLflow
 * adapter never sends what MLflow would refuse).
 */

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,255}$/;
const ALIAS = /^[A-Za-z0-9_-]{1,255}$/;
export const MAX_REASON_CHARS = 1000;
export const MAX_ACTOR_CHARS = 200;

export function checkModelName(name: string): void {
  if (!MODEL_NAME.test(name)) {
    throw new RegistryError('invalid', `model name ${JSON.stringify(name)} must be 1-256 characters of letters, digits, "_", "." or "-", starting with a letter or digit`);
  }
}

/** MLflow's alias rules: word characters and "-", not `latest`, not `v<digits>` (reserved for versions). */
export function checkAlias(alias: string): void {
  if (!ALIAS.test(alias) || /^v\d+$/i.test(alias) || alias.toLowerCase() === 'latest') {
    throw new RegistryError('invalid', `alias ${JSON.stringify(alias)} must be letters, digits, "_" or "-", and not "latest" or "v<number>"`);
  }
}

export function checkVersion(version: string): void {
  if (!/^[1-9]\d{0,9}$/.test(version)) throw new RegistryError('invalid', `version ${JSON.stringify(version)} must be a positive integer string`);
}

export function checkChange(change: ChangeContext): { by: string; reason: string } {
  const by = change.by;
  const reason = change.reason ?? '';
  if (typeof by !== 'string' || by.trim() === '' || by.length > MAX_ACTOR_CHARS) {
    throw new RegistryError('invalid', `"by" must name who makes the change (1-${MAX_ACTOR_CHARS} characters)`);
  }
  if (typeof reason !== 'string' || reason.length > MAX_REASON_CHARS) {
    throw new RegistryError('invalid', `"reason" must be at most ${MAX_REASON_CHARS} characters`);
  }
  return { by, reason };
}

export function checkRegistration(input: RegisterVersionInput): void {
  checkModelName(input.model);
  if (typeof input.artifactUri !== 'string' || input.artifactUri === '') throw new RegistryError('invalid', 'artifactUri must be a non-empty string');
  for (const [name, value] of Object.entries(input.metrics ?? {})) {
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) throw new RegistryError('invalid', `metric name ${JSON.stringify(name)} must be letters, digits, "_", "." or "-"`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new RegistryError('invalid', `metric ${name} must be a finite number`);
  }
}

export function checkLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1) throw new RegistryError('invalid', `limit must be a positive integer, got ${value}`);
  return value;
}
