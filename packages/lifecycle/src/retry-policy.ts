import { expectObject, readOptionalNumber, rejectUnknownKeys } from './config-fields.js';

/** Bounds of the retry loop around one dispatch. */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  readonly maxAttempts: number;
  /** Backoff before the first retry (before jitter). */
  readonly initialDelayMs: number;
  /** Cap on one backoff (before Retry-After). */
  readonly maxDelayMs: number;
  /** Growth factor between consecutive backoffs. */
  readonly multiplier: number;
  /** No attempt starts, and no wait is taken, past this much time after the first attempt. */
  readonly maxTotalMs: number;
  /** Timeout of one HTTP request. */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  maxTotalMs: 120_000,
  attemptTimeoutMs: 10_000,
};

/** Validates a retry policy written in config (`max_attempts`, `initial_delay_ms`, …); missing fields take the defaults. */
export function parseRetryPolicy(raw: unknown, path = 'retry'): RetryPolicy {
  if (raw === undefined) return DEFAULT_RETRY_POLICY;
  const obj = expectObject(raw, path);
  const keys = ['max_attempts', 'initial_delay_ms', 'max_delay_ms', 'multiplier', 'max_total_ms', 'attempt_timeout_ms'];
  rejectUnknownKeys(obj, keys, path);
  const d = DEFAULT_RETRY_POLICY;
  return {
    maxAttempts: readOptionalNumber(obj, 'max_attempts', path, d.maxAttempts, { min: 1, max: 100, integer: true }),
    initialDelayMs: readOptionalNumber(obj, 'initial_delay_ms', path, d.initialDelayMs, { min: 0 }),
    maxDelayMs: readOptionalNumber(obj, 'max_delay_ms', path, d.maxDelayMs, { min: 0 }),
    multiplier: readOptionalNumber(obj, 'multiplier', path, d.multiplier, { min: 1 }),
    maxTotalMs: readOptionalNumber(obj, 'max_total_ms', path, d.maxTotalMs, { min: 0 }),
    attemptTimeoutMs: readOptionalNumber(obj, 'attempt_timeout_ms', path, d.attemptTimeoutMs, { min: 1 }),
  };
}

/**
 * Backoff before retry number `retry` (1 = the wait after the first failed attempt):
 * `cap = min(maxDelayMs, initialDelayMs · multiplier^(retry−1))`, then "equal jitter":
 * a uniform draw in `[cap/2, cap]` from `random()` ∈ [0, 1). Jitter spreads retries of many
 * dispatchers apart while keeping at least half the exponential wait.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * A `Retry-After` header value (delay in seconds, or an HTTP date) as a wait in milliseconds from
 * `nowMs`; `undefined` when absent or unreadable; dates in the past give 0.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/** What to do after a response: done, try again later, or give up. */
export type ResponseClass = 'success' | 'retry' | 'fail';

/**
 * Classifies an HTTP status for retrying: 2xx succeed; 408, 425, 429 and 5xx are retried; other
 * statuses fail at once — except GitHub's rate limit, a 403 with `retry-after` or
 * `x-ratelimit-remaining: 0`, which is retried.
 */
export function classifyResponse(status: number, headers: { get(name: string): string | null }): ResponseClass {
  if (status >= 200 && status < 300) return 'success';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status === 403 && (headers.get('retry-after') !== null || headers.get('x-ratelimit-remaining') === '0')) return 'retry';
  return 'fail';
}

/**
 * The wait a server asked for: `Retry-After`, else GitHub's `x-ratelimit-reset` (Unix seconds)
 * when `x-ratelimit-remaining` is 0; `undefined` when it asked for none.
 */
export function serverRequestedDelayMs(headers: { get(name: string): string | null }, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfterMs(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  const reset = headers.get('x-ratelimit-reset');
  if (headers.get('x-ratelimit-remaining') === '0' && reset !== null && /^\d+$/.test(reset)) {
    return Math.max(0, Number(reset) * 1000 - nowMs);
  }
  return undefined;
}
