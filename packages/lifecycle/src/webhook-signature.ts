import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<hex HMAC>`. */
export const SIGNATURE_HEADER = 'X-Driftwatch-Signature';
/** Header carrying the signing time in Unix seconds. */
export const TIMESTAMP_HEADER = 'X-Driftwatch-Timestamp';

/**
 * The signature of a webhook body: `sha256=` + hex HMAC-SHA256 with the shared secret over
 * `<timestamp>.<raw body>`, where timestamp is the `X-Driftwatch-Timestamp` header (Unix seconds).
 * Signing the timestamp with the body lets a receiver reject replays of old requests.
 */
export function signWebhookBody(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `sha256=${mac}`;
}

export interface WebhookVerification {
  readonly secret: string;
  /** The raw request body exactly as received (before any JSON parsing). */
  readonly body: string;
  readonly timestampHeader: string | undefined | null;
  readonly signatureHeader: string | undefined | null;
  readonly nowMs: number;
  /** Largest accepted clock difference; default 300 s. */
  readonly toleranceSeconds?: number;
}

/**
 * Receiver side: true when the signature matches the body and timestamp (compared in constant
 * time) and the timestamp is within `toleranceSeconds` of `nowMs`.
 */
export function verifyWebhookSignature(input: WebhookVerification): boolean {
  const { timestampHeader, signatureHeader } = input;
  if (typeof timestampHeader !== 'string' || !/^\d{1,12}$/.test(timestampHeader)) return false;
  if (typeof signatureHeader !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signatureHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(input.nowMs / 1000 - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(input.secret, timestamp, input.body), 'utf8');
  return timingSafeEqual(expected, Buffer.from(signatureHeader, 'utf8'));
}
