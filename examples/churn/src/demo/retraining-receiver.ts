/**
 * The demo's retraining receiver: the endpoint behind the aggregator's generic `webhook` dispatch target, as a team
 * would run it in front of its training job. Per request it
 *
 * 1. verifies the HMAC-SHA256 signature over `<X-Driftwatch-Timestamp>.<raw body>` with the shared secret
 *    (`verifyWebhookSignature` of `@driftwatch/lifecycle`, constant-time, 5 minutes of clock tolerance): 401 if not;
 * 2. checks the body is a retraining event whose `idempotency_key` is the `Idempotency-Key` header: 400 if not;
 * 3. deduplicates on that key — a retried delivery of a started job answers 200 `{ duplicate: true }`;
 * 4. otherwise answers 202 at once and starts the job in the background (the dispatcher must not wait for training).
 */
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature, type RetrainingEvent } from '@driftwatch/lifecycle';
import type { DemoHooks, HookRequest, HookResponse } from './demo-hooks.js';

export type DeliveryVerdict = 'accepted' | 'duplicate' | 'bad_signature' | 'bad_request';

/** One request the receiver answered. */
export interface ReceiverDelivery {
  readonly atMs: number;
  readonly verdict: DeliveryVerdict;
  readonly status: number;
  /** the `Idempotency-Key` header, when there was one */
  readonly idempotencyKey: string | undefined;
  readonly detail: string;
}

/** A job started by an accepted delivery. */
export interface ReceiverJob<T> {
  readonly idempotencyKey: string;
  readonly event: RetrainingEvent;
  readonly startedAtMs: number;
  /** settles when the job ends (rejects when it threw) */
  readonly done: Promise<T>;
}

export interface RetrainingReceiver<T> {
  /** http://…/path, for the webhook target's `url` */
  readonly url: string;
  readonly deliveries: readonly ReceiverDelivery[];
  readonly jobs: ReadonlyArray<ReceiverJob<T>>;
}

export interface ReceiverOptions<T> {
  readonly path: string;
  /** the webhook target's `secret` */
  readonly secret: string;
  /** runs the training job for an accepted event */
  readonly runJob: (event: RetrainingEvent) => Promise<T>;
  /** called for every delivery (to print it) */
  readonly onDelivery?: (delivery: ReceiverDelivery, job: ReceiverJob<T> | undefined) => void;
  readonly now?: () => number;
}

function header(request: HookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a retraining event (docs/retraining.md) from a verified body; throws naming the bad field. */
export function parseRetrainingEvent(body: string): RetrainingEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error('the body is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('the body is not a JSON object');
  const o = json as Record<string, unknown>;
  for (const field of ['model', 'trigger', 'incident_id', 'idempotency_key', 'requested_at']) {
    if (typeof o[field] !== 'string' || o[field] === '') throw new Error(`${field} must be a non-empty string`);
  }
  if (!Array.isArray(o['reasons']) || !o['reasons'].every((r) => typeof r === 'string')) throw new Error('reasons must be a list of strings');
  return o as unknown as RetrainingEvent;
}

/** Mounts the receiver on the demo's hooks endpoint. */
export function mountRetrainingReceiver<T>(hooks: DemoHooks, options: ReceiverOptions<T>): RetrainingReceiver<T> {
  const now = options.now ?? Date.now;
  const deliveries: ReceiverDelivery[] = [];
  const jobs: Array<ReceiverJob<T>> = [];
  const answer = (verdict: DeliveryVerdict, status: number, idempotencyKey: string | undefined, detail: string, job?: ReceiverJob<T>): HookResponse => {
    const delivery: ReceiverDelivery = { atMs: now(), verdict, status, idempotencyKey, detail };
    deliveries.push(delivery);
    options.onDelivery?.(delivery, job);
    return { status, body: status >= 400 ? { error: detail } : { [verdict]: true, idempotency_key: idempotencyKey, detail } };
  };

  hooks.mount(options.path, (request) => {
    const key = header(request, 'Idempotency-Key');
    if (request.method !== 'POST') return answer('bad_request', 405, key, `${request.method} is not allowed; POST a retraining event`);
    const signed = verifyWebhookSignature({
      secret: options.secret,
      body: request.body,
      timestampHeader: header(request, TIMESTAMP_HEADER),
      signatureHeader: header(request, SIGNATURE_HEADER),
      nowMs: now(),
    });
    if (!signed) return answer('bad_signature', 401, key, `${SIGNATURE_HEADER} does not match the body and ${TIMESTAMP_HEADER} (or the timestamp is stale)`);
    let event: RetrainingEvent;
    try {
      event = parseRetrainingEvent(request.body);
    } catch (error) {
      return answer('bad_request', 400, key, `not a retraining event: ${(error as Error).message}`);
    }
    if (key !== event.idempotency_key) return answer('bad_request', 400, key, `Idempotency-Key ${JSON.stringify(key)} is not the event's idempotency_key ${JSON.stringify(event.idempotency_key)}`);
    if (jobs.some((j) => j.idempotencyKey === key)) return answer('duplicate', 200, key, 'this retraining already started; not training twice');
    const job: ReceiverJob<T> = { idempotencyKey: key, event, startedAtMs: now(), done: Promise.resolve().then(() => options.runJob(event)) };
    // the caller awaits `done`; never an unhandled rejection from here
    job.done.catch(() => undefined);
    jobs.push(job);
    return answer('accepted', 202, key, `signature verified; training job started for ${event.trigger} incident ${event.incident_id}`, job);
  });
  return { url: `${hooks.url}${options.path}`, deliveries, jobs };
}
