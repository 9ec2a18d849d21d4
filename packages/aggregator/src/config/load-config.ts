import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { AggregatorConfig } from './aggregator-config.js';
import { ConfigError } from './config-error.js';
import { readDurationMs, readObject, readPort, readString } from './config-reader.js';
import { resolveConfig } from './resolve-config.js';
import { applyRegistryEnv } from '../registry/registry-config.js';

/** Environment variables and the config key each one sets (they override the file). */
export const ENV_VARS = {
  DRIFTWATCH_HOST: 'host',
  DRIFTWATCH_OTLP_PORT: 'otlpPort',
  DRIFTWATCH_HTTP_PORT: 'httpPort',
  DRIFTWATCH_DATA_DIR: 'dataDir',
  DRIFTWATCH_INGEST_TOKEN: 'ingestToken',
  DRIFTWATCH_ADMIN_TOKEN: 'adminToken',
  DRIFTWATCH_ALERTS_SECRET: 'alertsSecret',
  DRIFTWATCH_FLUSH_INTERVAL: 'flushInterval',
  DRIFTWATCH_EVALUATION_INTERVAL: 'evaluationInterval',
  DRIFTWATCH_STREAM_IDLE_TTL: 'streamIdleTtl',
} as const;

const PORT_KEYS = new Set(['otlpPort', 'httpPort']);
const DURATION_KEYS = new Set(['flushInterval', 'evaluationInterval', 'streamIdleTtl']);

export interface LoadConfigOptions {
  /** Config file path (YAML or JSON); falls back to `DRIFTWATCH_CONFIG`. */
  readonly configPath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Command-line flags: they override the environment and the file. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** Reads and parses a YAML or JSON config file into a plain object. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('config', `cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new ConfigError('config', `${path} is not valid YAML or JSON: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  return Object.fromEntries(readObject(parsed, 'config'));
}

/**
 * Merges the config sources into one input in the file's shape: config file < environment variables < flags
 * (embedded defaults fill the rest in `resolveConfig`). Environment values are checked here, so their errors name
 * the variable (`env DRIFTWATCH_HTTP_PORT: "x" is not a port number (0-65535)`).
 */
export function loadConfigInput(options: LoadConfigOptions = {}): Record<string, unknown> {
  const env = options.env ?? {};
  const path = options.configPath ?? env['DRIFTWATCH_CONFIG'];
  const merged: Record<string, unknown> = path ? readConfigFile(path) : {};
  for (const [variable, key] of Object.entries(ENV_VARS)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const field = `env ${variable}`;
    if (PORT_KEYS.has(key)) merged[key] = readPort(value, field);
    else if (DURATION_KEYS.has(key)) {
      readDurationMs(value, field);
      merged[key] = value;
    } else merged[key] = readString(value, field);
  }
  applyRegistryEnv(merged, env);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** {@link loadConfigInput} validated with the embedded defaults. Throws {@link ConfigError} naming the bad field. */
export function loadConfig(options: LoadConfigOptions = {}): AggregatorConfig {
  return resolveConfig(loadConfigInput(options));
}
