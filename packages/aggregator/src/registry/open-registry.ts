import { join } from 'node:path';
import { createEmbeddedRegistry, createMlflowRegistry, type ModelRegistry } from '@driftwatch/lifecycle';
import { ConfigError } from '../config/config-error.js';
import type { RegistryConfig } from './registry-config.js';

export interface OpenedRegistry {
  readonly registry: ModelRegistry;
  /** Human description for the start-up log, e.g. `embedded (data/registry.db)`. */
  readonly description: string;
  close(): void;
}

/** The embedded registry's file in the data directory (`:memory:` stays in memory). */
export function embeddedRegistryPath(dataDir: string): string {
  return dataDir === ':memory:' ? ':memory:' : join(dataDir, 'registry.db');
}

/**
 * Opens the configured registry. The embedded one is the SQLite file `<dataDir>/registry.db` (its own file: the
 * registry's history outlives a reset of the monitoring data). For MLflow the tracking server is asked once
 * (`registered-models/search`): a refused credential (401/403) fails the start naming the field; an unreachable
 * server is only reported through `warn` (monitoring keeps running; registry calls fail with 502 until it is back).
 * The data directory must exist (the aggregator's database is opened first).
 */
export async function openRegistry(
  config: RegistryConfig,
  dataDir: string,
  warn: (message: string) => void,
  now: () => number = Date.now,
  fetchImpl: typeof fetch = fetch,
): Promise<OpenedRegistry> {
  if (config.kind === 'embedded') {
    const path = embeddedRegistryPath(dataDir);
    const registry = createEmbeddedRegistry({ database: path, now });
    return { registry, description: `embedded (${path})`, close: () => registry.close() };
  }
  const registry = createMlflowRegistry({
    baseUrl: config.url,
    timeoutMs: config.timeoutMs,
    fetch: fetchImpl,
    now,
    ...(config.token === undefined ? {} : { token: config.token }),
    ...(config.username === undefined ? {} : { username: config.username, password: config.password ?? '' }),
  });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.token !== undefined) headers['authorization'] = `Bearer ${config.token}`;
  else if (config.username !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  const url = `${config.url}/api/2.0/mlflow/registered-models/search?max_results=1`;
  let status: number | undefined;
  try {
    const res = await fetchImpl(url, { headers, signal: AbortSignal.timeout(config.timeoutMs) });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    warn(`MLflow registry at ${config.url} is not reachable (${(err as Error).message}); registry calls answer 502 until it is`);
  }
  if (status === 401 || status === 403) {
    const field = config.token !== undefined ? 'config.registry.token' : config.username !== undefined ? 'config.registry.username' : 'config.registry.token';
    throw new ConfigError(field, `MLflow at ${config.url} refused the credentials (HTTP ${status})${config.token === undefined && config.username === undefined ? '; it needs a token or username/password' : ''}`);
  }
  if (status === 404) throw new ConfigError('config.registry.url', `${config.url} has no MLflow REST API (GET /api/2.0/mlflow/registered-models/search answered 404)`);
  if (status !== undefined && status >= 400) warn(`MLflow registry at ${config.url} answered HTTP ${status} to a test request`);
  return { registry, description: `MLflow (${config.url})`, close: () => undefined };
}
