import type { PrefectTarget } from './dispatch-target.js';
import { USER_AGENT } from './http-request.js';
import type { HttpRequest } from './http-request.js';
import { requestIdempotencyKey, retrainingEvent } from './retraining-request.js';
import type { RetrainingRequest } from './retraining-request.js';

/**
 * `POST {base}/deployments/{id}/create_flow_run` with `{ parameters, idempotency_key, tags }`.
 * Prefect returns the existing flow run for a repeated idempotency key. Parameters are the
 * configured ones plus the retraining event under `event_parameter` (default `driftwatch`); tags
 * add `driftwatch`, `model:<name>` and `trigger:<kind>`.
 */
export function buildPrefectFlowRunRequest(target: PrefectTarget, request: RetrainingRequest): HttpRequest {
  const parameters: Record<string, unknown> = { ...target.parameters };
  if (target.eventParameter !== null) parameters[target.eventParameter] = retrainingEvent(request);
  const tags = [...new Set([...target.tags, 'driftwatch', `model:${request.model}`, `trigger:${request.trigger.kind}`])];
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': USER_AGENT };
  if (target.apiKey !== null) headers['Authorization'] = `Bearer ${target.apiKey}`;
  return {
    method: 'POST',
    url: `${target.baseUrl}/deployments/${encodeURIComponent(target.deploymentId)}/create_flow_run`,
    headers,
    body: JSON.stringify({ parameters, idempotency_key: requestIdempotencyKey(request), tags }),
  };
}
