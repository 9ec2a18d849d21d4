import type { AirflowTarget } from './dispatch-target.js';
import { USER_AGENT } from './http-request.js';
import type { HttpRequest } from './http-request.js';
import { requestIdempotencyKey, retrainingEvent } from './retraining-request.js';
import type { RetrainingRequest } from './retraining-request.js';

const dagRunsPath = (target: AirflowTarget): string =>
  `${target.baseUrl}/api/${target.version === 3 ? 'v2' : 'v1'}/dags/${encodeURIComponent(target.dagId)}/dagRuns`;

/**
 * Airflow 3 login: `POST {base}/auth/token` with `{ username, password }`; the answer's
 * `access_token` is then sent as `Authorization: Bearer`.
 */
export function buildAirflowTokenRequest(target: AirflowTarget): HttpRequest {
  return {
    method: 'POST',
    url: `${target.baseUrl}/auth/token`,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': USER_AGENT },
    body: JSON.stringify({ username: target.username, password: target.password }),
  };
}

/**
 * Triggers a DAG run. The idempotency key is the `dag_run_id`, so a repeat is answered 409
 * (treated as "already dispatched"); `conf` is the configured conf plus the retraining event.
 * Airflow 2: `POST {base}/api/v1/dags/{dag_id}/dagRuns`, basic auth, `{ dag_run_id, conf }`
 * (`logical_date` defaults to now). Airflow 3: `POST {base}/api/v2/dags/{dag_id}/dagRuns`,
 * `Authorization: Bearer <token>`, `{ dag_run_id, logical_date: null, conf }` (`logical_date` is
 * required there; null means "no logical date").
 */
export function buildAirflowDagRunRequest(target: AirflowTarget, request: RetrainingRequest, accessToken?: string): HttpRequest {
  const conf = { ...target.conf, ...retrainingEvent(request) };
  const dagRunId = requestIdempotencyKey(request);
  let authorization: string;
  let body: Record<string, unknown>;
  if (target.version === 3) {
    if (accessToken === undefined) throw new Error('Airflow 3 needs an access token (from /auth/token)');
    authorization = `Bearer ${accessToken}`;
    body = { dag_run_id: dagRunId, logical_date: null, conf };
  } else {
    authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`, 'utf8').toString('base64')}`;
    body = { dag_run_id: dagRunId, conf };
  }
  return {
    method: 'POST',
    url: dagRunsPath(target),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: authorization, 'User-Agent': USER_AGENT },
    body: JSON.stringify(body),
  };
}
