import { hostname, userInfo } from 'node:os';
import type { CliIo } from './verbs.js';

/** The options every verb talking to a running aggregator takes (for `parseArgs`). */
export const API_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
} as const;

export const DEFAULT_API_URL = 'http://127.0.0.1:9464';

export const API_HELP = `  --url <url>        the aggregator's API (default ${DEFAULT_API_URL}; env DRIFTWATCH_URL)
  --token <token>    admin bearer token (default: env DRIFTWATCH_ADMIN_TOKEN)`;

/** A running aggregator's API: base URL and admin token. */
export interface ApiTarget {
  readonly baseUrl: string;
  readonly token: string | undefined;
}

export function apiTarget(values: { readonly url?: string | undefined; readonly token?: string | undefined }, io: CliIo): ApiTarget {
  const baseUrl = (values.url ?? io.env['DRIFTWATCH_URL'] ?? DEFAULT_API_URL).replace(/\/+$/, '');
  return { baseUrl, token: values.token ?? io.env['DRIFTWATCH_ADMIN_TOKEN'] };
}

/** Who makes a change (recorded in the registry's history): `--by`, env DRIFTWATCH_ACTOR, else `user@host`. */
export function actorOf(by: string | undefined, io: CliIo): string {
  if (by !== undefined && by.trim() !== '') return by;
  const env = io.env['DRIFTWATCH_ACTOR'];
  if (env !== undefined && env.trim() !== '') return env;
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${hostname()}`;
}

/**
 * Calls the aggregator's JSON API. Resolves with the parsed body; rejects with `<METHOD> <url>: HTTP <status>:
 * <the server's error message>` (or the network error), which the CLI prints as is.
 */
export async function callApi(target: ApiTarget, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const url = `${target.baseUrl}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new Error(`${method} ${url}: ${cause ?? (err as Error).message} (is the aggregator running? set --url)`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    // not JSON: keep the text
  }
  if (!res.ok) {
    const message = typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string' ? (parsed as { error: string }).error : text;
    throw new Error(`${method} ${url}: HTTP ${res.status}: ${message}${res.status === 401 ? ' (pass --token or set DRIFTWATCH_ADMIN_TOKEN)' : ''}`);
  }
  return parsed;
}

/** `/api/v1/registry/models/<model>` with the name escaped. */
export function registryPath(model: string, rest = ''): string {
  return `/api/v1/registry/models/${encodeURIComponent(model)}${rest}`;
}
