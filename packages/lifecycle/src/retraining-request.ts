import { retrainingIdempotencyKey } from './idempotency-key.js';
import type { TriggerDecision, TriggerKind } from './trigger-evaluation.js';

/** A request to retrain one model, built from a firing trigger decision. */
export interface RetrainingRequest {
  readonly model: string;
  readonly trigger: {
    readonly kind: TriggerKind;
    /** The incident id (`TriggerIncident.id`); the idempotency key is derived from it. */
    readonly id: string;
    readonly reasons: readonly string[];
  };
  readonly requestedAtMs: number;
  /** Overrides the derived key; normally left out. */
  readonly idempotencyKey?: string;
  /** Extra fields for the training job (e.g. the champion version), sent in the event. */
  readonly parameters?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The JSON event every target receives (webhook body, Airflow `conf`, Prefect parameter, GitHub
 * `client_payload`): `model`, `trigger`, `incident_id`, `reasons`, `idempotency_key`,
 * `requested_at` (ISO 8601), then `parameters`, which cannot override those six.
 */
export interface RetrainingEvent {
  readonly model: string;
  readonly trigger: TriggerKind;
  readonly incident_id: string;
  readonly reasons: readonly string[];
  readonly idempotency_key: string;
  readonly requested_at: string;
  readonly [parameter: string]: unknown;
}

export function requestIdempotencyKey(request: RetrainingRequest): string {
  return request.idempotencyKey ?? retrainingIdempotencyKey(request.model, request.trigger.id);
}

export function retrainingEvent(request: RetrainingRequest): RetrainingEvent {
  return {
    ...request.parameters,
    model: request.model,
    trigger: request.trigger.kind,
    incident_id: request.trigger.id,
    reasons: request.trigger.reasons,
    idempotency_key: requestIdempotencyKey(request),
    requested_at: new Date(request.requestedAtMs).toISOString(),
  };
}

/**
 * The retraining request for a firing decision of `evaluateTriggers`, or `null` when it does not
 * fire. The incident of `decision.trigger` names it (and so its idempotency key); the reasons are
 * all of the decision's reasons.
 */
export function retrainingRequestFor(
  model: string,
  decision: TriggerDecision,
  nowMs: number,
  parameters?: Readonly<Record<string, string | number | boolean>>,
): RetrainingRequest | null {
  if (!decision.fire || decision.trigger === null) return null;
  const request: RetrainingRequest = {
    model,
    trigger: { kind: decision.trigger.kind, id: decision.trigger.id, reasons: decision.reasons },
    requestedAtMs: nowMs,
  };
  return parameters === undefined ? request : { ...request, parameters };
}
