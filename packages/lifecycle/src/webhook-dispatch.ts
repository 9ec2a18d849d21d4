import type { WebhookTarget } from './dispatch-target.js';
import { USER_AGENT } from './http-request.js';
import type { HttpRequest } from './http-request.js';
import { requestIdempotencyKey, retrainingEvent } from './retraining-request.js';
import type { RetrainingRequest } from './retraining-request.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './webhook-signature.js';

/**
 * `POST <url>` with the retraining event as JSON, signed: `X-Driftwatch-Timestamp` (Unix s),
 * `X-Driftwatch-Signature: sha256=<hex>`, and `Idempotency-Key`. Configured extra headers are
 * sent too but cannot replace those.
 */
export function buildWebhookRequest(target: WebhookTarget, request: RetrainingRequest, nowMs: number): HttpRequest {
  const body = JSON.stringify(retrainingEvent(request));
  const timestamp = Math.floor(nowMs / 1000);
  return {
    method: 'POST',
    url: target.url,
    headers: {
      ...target.headers,
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      'Idempotency-Key': requestIdempotencyKey(request),
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhookBody(target.secret, timestamp, body),
    },
    body,
  };
}
