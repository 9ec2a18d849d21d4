import { ConfigError } from '../config/config-error.js';
import { describe, readDurationMs, readEnum, readObject, readString } from '../config/config-reader.js';

/** Where model versions and aliases live: the embedded SQLite registry or an MLflow tracking server. */
export type RegistryConfig =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'mlflow';
      /** Tracking server root, e.g. `http://mlflow:5000` (the REST API is under `/api/2.0/mlflow/`). */
      readonly url: string;
      /** `Authorization: Bearer` (Databricks or a proxy); exclusive with username/password. */
      readonly token?: string;
      /** Basic auth of MLflow's built-in auth app. */
      readonly username?: string;
      readonly password?: string;
      readonly timeoutMs: number;
    };

export const REGISTRY_KINDS = ['embedded', 'mlflow'] as const;
export const DEFAULT_REGISTRY_CONFIG: RegistryConfig = { kind: 'embedded' };
const DEFAULT_MLFLOW_TIMEOUT_MS = 10_000;
const MLFLOW_KEYS = ['kind', 'url', 'token', 'username', 'password', 'timeout'] as const;

/**
 * Environment variables of the `registry` section (they override the file; secrets belong here rather than in it).
 * Each maps to a key of `registry`.
 */
export const REGISTRY_ENV_VARS = {
  DRIFTWATCH_REGISTRY_KIND: 'kind',
  DRIFTWATCH_REGISTRY_URL: 'url',
  DRIFTWATCH_REGISTRY_TOKEN: 'token',
  DRIFTWATCH_REGISTRY_USERNAME: 'username',
  DRIFTWATCH_REGISTRY_PASSWORD: 'password',
} as const;

/**
 * Merges the `DRIFTWATCH_REGISTRY_*` variables into the config input's `registry` section (in place; the section is
 * copied, never shared with the file's object). The kind and URL are checked here (errors name the variable), the
 * rest by {@link readRegistryConfig}.
 */
export function applyRegistryEnv(merged: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): void {
  let section: Record<string, unknown> | undefined;
  for (const [variable, key] of Object.entries(REGISTRY_ENV_VARS)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    if (section === undefined) {
      const current = merged['registry'];
      if (current !== undefined && (current === null || typeof current !== 'object' || Array.isArray(current))) {
        throw new ConfigError('config.registry', `expected an object, got ${describe(current)}`);
      }
      section = { ...(current as Record<string, unknown> | undefined) };
      merged['registry'] = section;
    }
    // the kind and the URL are checked here so that their errors name the variable
    if (key === 'kind') readEnum(value, `env ${variable}`, REGISTRY_KINDS);
    else if (key === 'url') readMlflowUrl(value, `env ${variable}`);
    section[key] = value;
  }
}

/** The MLflow tracking server root: an http(s) URL without query or fragment; trailing slashes dropped. */
function readMlflowUrl(value: unknown, path: string): string {
  const url = readString(value, path);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(path, `${describe(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(path, `${describe(url)} must be an http or https URL`);
  if (parsed.search !== '' || parsed.hash !== '') throw new ConfigError(path, `${describe(url)} must not have a query or fragment`);
  return url.replace(/\/+$/, '');
}

/**
 * Validates the `registry` section: `{ kind: embedded }` (default; SQLite `registry.db` in the data directory) or
 * `{ kind: mlflow, url, token? | username + password?, timeout? }`. Throws {@link ConfigError} naming the field.
 */
export function readRegistryConfig(value: unknown, path = 'config.registry'): RegistryConfig {
  if (value === undefined) return DEFAULT_REGISTRY_CONFIG;
  const r = readObject(value, path, MLFLOW_KEYS);
  const kind = r.has('kind') ? readEnum(r.get('kind'), `${path}.kind`, REGISTRY_KINDS) : 'embedded';
  if (kind === 'embedded') {
    for (const key of MLFLOW_KEYS) {
      if (key !== 'kind' && r.has(key)) throw new ConfigError(`${path}.${key}`, 'only applies to kind: mlflow (the embedded registry needs no settings)');
    }
    return DEFAULT_REGISTRY_CONFIG;
  }
  if (!r.has('url')) throw new ConfigError(`${path}.url`, 'required for kind: mlflow (the tracking server, e.g. http://mlflow:5000; env DRIFTWATCH_REGISTRY_URL)');
  const url = readMlflowUrl(r.get('url'), `${path}.url`);
  const token = r.has('token') ? readString(r.get('token'), `${path}.token`) : undefined;
  const username = r.has('username') ? readString(r.get('username'), `${path}.username`) : undefined;
  const password = r.has('password') ? readString(r.get('password'), `${path}.password`) : undefined;
  if (token !== undefined && (username !== undefined || password !== undefined)) {
    throw new ConfigError(`${path}.token`, 'give either a token or username/password, not both');
  }
  if ((username === undefined) !== (password === undefined)) {
    throw new ConfigError(username === undefined ? `${path}.username` : `${path}.password`, 'username and password go together');
  }
  const timeoutMs = r.has('timeout') ? readDurationMs(r.get('timeout'), `${path}.timeout`) : DEFAULT_MLFLOW_TIMEOUT_MS;
  return {
    kind,
    url,
    ...(token === undefined ? {} : { token }),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    timeoutMs,
  };
}
