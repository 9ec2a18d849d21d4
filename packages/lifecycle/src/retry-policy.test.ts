import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, classifyResponse, parseRetryAfterMs, parseRetryPolicy, serverRequestedDelayMs } from './retry-policy.js';

const headers = (h: Record<string, string>) => new Headers(h);

describe('backoffDelayMs', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };

  it('grows exponentially up to the cap, with jitter in [cap/2, cap]', () => {
    expect([1, 2, 3, 4, 5].map((r) => backoffDelayMs(r, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((r) => backoffDelayMs(r, policy, () => 0.999999))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('stays within bounds for any jitter draw (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const cap = Math.min(1000, 100 * 2 ** (retry - 1));
        const d = backoffDelayMs(retry, policy, () => r);
        return d >= Math.floor(cap / 2) && d <= cap;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('parseRetryAfterMs / serverRequestedDelayMs', () => {
  const now = Date.parse('2024-05-06T10:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Mon, 06 May 2024 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Mon, 06 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it("falls back to GitHub's rate-limit reset", () => {
    expect(serverRequestedDelayMs(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }), now)).toBe(42_000);
    expect(serverRequestedDelayMs(headers({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1' }), now)).toBeUndefined();
    expect(serverRequestedDelayMs(headers({ 'retry-after': '3' }), now)).toBe(3000);
  });
});

describe('classifyResponse', () => {
  it('retries 5xx, 408, 425, 429 and GitHub rate limits only', () => {
    expect(classifyResponse(200, headers({}))).toBe('success');
    expect(classifyResponse(204, headers({}))).toBe('success');
    for (const s of [500, 502, 503, 504, 408, 425, 429]) expect(classifyResponse(s, headers({})), String(s)).toBe('retry');
    for (const s of [400, 401, 404, 409, 422]) expect(classifyResponse(s, headers({})), String(s)).toBe('fail');
    expect(classifyResponse(403, headers({}))).toBe('fail');
    expect(classifyResponse(403, headers({ 'x-ratelimit-remaining': '0' }))).toBe('retry');
    expect(classifyResponse(403, headers({ 'retry-after': '60' }))).toBe('retry');
  });
});

describe('parseRetryPolicy', () => {
  it('applies defaults and validates fields', () => {
    expect(parseRetryPolicy(undefined)).toEqual(DEFAULT_RETRY_POLICY);
    expect(parseRetryPolicy({ max_attempts: 3 }).maxAttempts).toBe(3);
    expect(() => parseRetryPolicy({ max_attempts: 0 }, 'targets.gha.retry')).toThrow('targets.gha.retry.max_attempts: must be ≥ 1, got 0');
    expect(() => parseRetryPolicy({ backoff: 1 }, 'retry')).toThrow('retry.backoff: unknown field');
  });
});
