import type { GithubRepositoryDispatchTarget, GithubWorkflowDispatchTarget } from './dispatch-target.js';
import { USER_AGENT } from './http-request.js';
import type { HttpRequest } from './http-request.js';
import { retrainingEvent } from './retraining-request.js';
import type { RetrainingRequest } from './retraining-request.js';

/** GitHub's limit on `client_payload` top-level properties. */
export const GITHUB_CLIENT_PAYLOAD_MAX_PROPERTIES = 10;

function githubHeaders(token: string): Record<string, string> {
  return {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${token}`,
    'X-GitHub-Api-Version': '2022-11-28',
    'Content-Type': 'application/json',
    'User-Agent': USER_AGENT,
  };
}

const segment = (text: string): string => encodeURIComponent(text);

/**
 * `POST {base}/repos/{owner}/{repo}/dispatches` with `{ event_type, client_payload }`; the payload
 * is the retraining event (idempotency key included). GitHub answers 204. Throws when the event has
 * more than 10 top-level properties (too many `parameters`), which GitHub would reject with 422.
 */
export function buildRepositoryDispatchRequest(target: GithubRepositoryDispatchTarget, request: RetrainingRequest): HttpRequest {
  const payload = retrainingEvent(request);
  const count = Object.keys(payload).length;
  if (count > GITHUB_CLIENT_PAYLOAD_MAX_PROPERTIES) {
    throw new Error(`client_payload would have ${count} top-level properties; GitHub allows ${GITHUB_CLIENT_PAYLOAD_MAX_PROPERTIES}`);
  }
  return {
    method: 'POST',
    url: `${target.baseUrl}/repos/${segment(target.owner)}/${segment(target.repo)}/dispatches`,
    headers: githubHeaders(target.token),
    body: JSON.stringify({ event_type: target.eventType, client_payload: payload }),
  };
}

/**
 * `POST {base}/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches` with `{ ref, inputs }`.
 * Inputs are strings: the configured ones, plus (with `event_inputs`) `model`, `trigger`,
 * `incident_id`, `idempotency_key` and `reasons` (joined with "; "), which the workflow must declare.
 */
export function buildWorkflowDispatchRequest(target: GithubWorkflowDispatchTarget, request: RetrainingRequest): HttpRequest {
  const inputs: Record<string, string> = { ...target.inputs };
  if (target.eventInputs) {
    const event = retrainingEvent(request);
    Object.assign(inputs, {
      model: event.model,
      trigger: event.trigger,
      incident_id: event.incident_id,
      idempotency_key: event.idempotency_key,
      reasons: event.reasons.join('; '),
    });
  }
  return {
    method: 'POST',
    url: `${target.baseUrl}/repos/${segment(target.owner)}/${segment(target.repo)}/actions/workflows/${segment(target.workflow)}/dispatches`,
    headers: githubHeaders(target.token),
    body: JSON.stringify({ ref: target.ref, inputs }),
  };
}
