import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

const NOW = Date.parse('2024-05-06T10:00:00Z');
const TS = NOW / 1000;
const BODY = '{"model":"churn"}';

describe('signWebhookBody', () => {
  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', 'k').update(`${TS}.${BODY}`).digest('hex');
    expect(signWebhookBody('k', TS, BODY)).toBe(`sha256=${expected}`);
  });
});

describe('verifyWebhookSignature', () => {
  const input = { secret: 'k', body: BODY, timestampHeader: String(TS), signatureHeader: signWebhookBody('k', TS, BODY), nowMs: NOW };

  it('accepts a matching signature within the tolerance', () => {
    expect(verifyWebhookSignature(input)).toBe(true);
    expect(verifyWebhookSignature({ ...input, nowMs: NOW + 299_000 })).toBe(true);
  });

  it('rejects replays, tampering and malformed headers', () => {
    expect(verifyWebhookSignature({ ...input, nowMs: NOW + 301_000 })).toBe(false);
    expect(verifyWebhookSignature({ ...input, nowMs: NOW + 60_000, toleranceSeconds: 30 })).toBe(false);
    expect(verifyWebhookSignature({ ...input, body: '{"model":"fraud"}' })).toBe(false);
    expect(verifyWebhookSignature({ ...input, timestampHeader: String(TS + 1) })).toBe(false);
    expect(verifyWebhookSignature({ ...input, secret: 'other' })).toBe(false);
    expect(verifyWebhookSignature({ ...input, signatureHeader: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...input, signatureHeader: 'sha1=abc' })).toBe(false);
    expect(verifyWebhookSignature({ ...input, timestampHeader: 'now' })).toBe(false);
  });
});
