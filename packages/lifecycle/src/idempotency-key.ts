import { createHash } from 'node:crypto';

/**
 * The idempotency key of the retraining requested for one incident of one model: the same model
 * and incident always give the same key, so a repeated or retried dispatch is recognised by the
 * target (Prefect `idempotency_key`, Airflow `dag_run_id`, the webhook's `Idempotency-Key` header,
 * GitHub's `client_payload.idempotency_key`) and by the audit log.
 *
 * Shape: `dw-<model slug>-<24 hex of SHA-256(model \n incidentId)>`, at most 76 characters, only
 * `[A-Za-z0-9_.-]`, which Airflow accepts as a `dag_run_id`.
 */
export function retrainingIdempotencyKey(model: string, incidentId: string): string {
  if (model === '') throw new Error('retrainingIdempotencyKey requires a model name');
  if (incidentId === '') throw new Error('retrainingIdempotencyKey requires an incident id');
  const slug = model.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 48);
  const digest = createHash('sha256').update(`${model}\n${incidentId}`, 'utf8').digest('hex').slice(0, 24);
  return `dw-${slug}-${digest}`;
}
