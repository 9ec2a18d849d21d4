import { randomUUID } from 'node:crypto';
import { buildAirflowDagRunRequest, buildAirflowTokenRequest } from './airflow-dispatch.js';
import type { AuditLog, DispatchRecord, DispatchStatus } from './audit-log.js';
import type { AirflowTarget, DispatchTarget } from './dispatch-target.js';
import { buildRepositoryDispatchRequest, buildWorkflowDispatchRequest } from './github-dispatch.js';
import type { HttpRequest } from './http-request.js';
import { buildPrefectFlowRunRequest } from './prefect-dispatch.js';
import { requestIdempotencyKey } from './retraining-request.js';
import type { RetrainingRequest } from './retraining-request.js';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, classifyResponse, serverRequestedDelayMs } from './retry-policy.js';
import type { ResponseClass, RetryPolicy } from './retry-policy.js';
import { buildWebhookRequest } from './webhook-dispatch.js';

export interface DispatcherOptions {
  readonly retry?: RetryPolicy;
  /** Injected for tests; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Waits between attempts; inject a fake to make retry tests instant. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
  readonly newId?: () => string;
  /** Where records go; also consulted so a key that already succeeded is not sent again. */
  readonly auditLog?: AuditLog;
  /** Called with every record (e.g. to count `driftwatch_retraining_dispatches_total`); must not throw. */
  readonly onDispatch?: (record: DispatchRecord) => void;
  /** Where failures of the audit log or of `onDispatch` are reported; default `console.warn`. */
  readonly warn?: (message: string) => void;
}

export interface Dispatcher {
  /**
   * Sends one retraining request to one target with retries, records it, and resolves with the
   * record. Never rejects: failures are in `record.status` / `record.error`.
   */
  dispatch(target: DispatchTarget, request: RetrainingRequest): Promise<DispatchRecord>;
}

type Sent =
  | { readonly ok: true; readonly status: number; readonly headers: Headers; readonly text: string }
  | { readonly ok: false; readonly error: string };

interface Outcome {
  status: Exclude<DispatchStatus, 'skipped'>;
  attempts: number;
  responseCode: number | null;
  responseBody: string | null;
  error: string | null;
  externalId: string | null;
}

/** Result of one attempt: done (one way or another) or worth another try after `delayHintMs`. */
type AttemptResult =
  | { readonly done: true; readonly outcome: Omit<Outcome, 'attempts'> }
  | { readonly done: false; readonly responseCode: number | null; readonly responseBody: string | null; readonly error: string; readonly delayHintMs: number | undefined };

const snippet = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
};
const bodyOf = (text: string): string | null => (text.trim() === '' ? null : snippet(text));

function externalIdOf(target: DispatchTarget, text: string): string | null {
  if (target.kind !== 'prefect' && target.kind !== 'airflow') return null;
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return null;
    const value = (json as Record<string, unknown>)[target.kind === 'prefect' ? 'id' : 'dag_run_id'];
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

function buildRequest(target: DispatchTarget, request: RetrainingRequest, nowMs: number, token?: string): HttpRequest {
  switch (target.kind) {
    case 'webhook':
      return buildWebhookRequest(target, request, nowMs);
    case 'github_repository_dispatch':
      return buildRepositoryDispatchRequest(target, request);
    case 'github_workflow_dispatch':
      return buildWorkflowDispatchRequest(target, request);
    case 'airflow':
      return buildAirflowDagRunRequest(target, request, token);
    case 'prefect':
      return buildPrefectFlowRunRequest(target, request);
  }
}

/**
 * Creates a dispatcher. Per dispatch: skip when the audit log already holds a success for the
 * idempotency key and target; otherwise up to `maxAttempts` attempts, retrying network errors,
 * timeouts, 5xx, 408/425/429 and GitHub rate limits with exponential backoff and equal jitter,
 * waiting at least what `Retry-After` asks, never past `maxTotalMs` from the start; other 4xx fail
 * at once. Airflow's 409 (the `dag_run_id` exists) counts as `duplicate`, a success. Airflow 3
 * tokens are cached per target and renewed once on a 401.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const fetchImpl = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const newId = options.newId ?? randomUUID;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const tokens = new Map<string, string>();

  async function send(http: HttpRequest, timeoutMs: number): Promise<Sent> {
    try {
      const init: RequestInit = { method: http.method, headers: http.headers, signal: AbortSignal.timeout(timeoutMs) };
      if (http.body !== undefined) init.body = http.body;
      const response = await fetchImpl(http.url, init);
      return { ok: true, status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') return { ok: false, error: `request timed out after ${timeoutMs} ms` };
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      return { ok: false, error: `network error: ${error instanceof Error ? error.message : String(error)}${cause}` };
    }
  }

  const retryable = (sent: Extract<Sent, { ok: true }>, what: string): AttemptResult => {
    const cls: ResponseClass = classifyResponse(sent.status, sent.headers);
    const error = `${what}HTTP ${sent.status}${sent.text === '' ? '' : `: ${snippet(sent.text)}`}`;
    if (cls === 'retry') return { done: false, responseCode: sent.status, responseBody: bodyOf(sent.text), error, delayHintMs: serverRequestedDelayMs(sent.headers, now()) };
    return { done: true, outcome: { status: 'failed', responseCode: sent.status, responseBody: bodyOf(sent.text), error, externalId: null } };
  };

  async function airflowToken(target: AirflowTarget, timeoutMs: number): Promise<string | AttemptResult> {
    const sent = await send(buildAirflowTokenRequest(target), timeoutMs);
    if (!sent.ok) return { done: false, responseCode: null, responseBody: null, error: `token request: ${sent.error}`, delayHintMs: undefined };
    if (sent.status < 200 || sent.status >= 300) return retryable(sent, 'token request: ');
    let token: unknown;
    try {
      token = (JSON.parse(sent.text) as Record<string, unknown>)['access_token'];
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || token === '') {
      return { done: true, outcome: { status: 'failed', responseCode: sent.status, responseBody: null, error: 'token request: no access_token in the answer', externalId: null } };
    }
    return token;
  }

  async function attempt(target: DispatchTarget, request: RetrainingRequest, timeoutMs: number): Promise<AttemptResult> {
    const tokenKey = `${target.name}\n${target.kind === 'airflow' ? `${target.baseUrl}\n${target.username}` : ''}`;
    const needsToken = target.kind === 'airflow' && target.version === 3;
    for (let renewal = 0; ; renewal++) {
      let token: string | undefined;
      const cached = needsToken ? tokens.get(tokenKey) : undefined;
      if (needsToken) {
        if (cached !== undefined) {
          token = cached;
        } else {
          const got = await airflowToken(target, timeoutMs);
          if (typeof got !== 'string') return got;
          tokens.set(tokenKey, got);
          token = got;
        }
      }
      const sent = await send(buildRequest(target, request, now(), token), timeoutMs);
      if (!sent.ok) return { done: false, responseCode: null, responseBody: null, error: sent.error, delayHintMs: undefined };
      if (sent.status >= 200 && sent.status < 300) {
        return { done: true, outcome: { status: 'succeeded', responseCode: sent.status, responseBody: bodyOf(sent.text), error: null, externalId: externalIdOf(target, sent.text) } };
      }
      if (target.kind === 'airflow' && sent.status === 409) {
        return { done: true, outcome: { status: 'duplicate', responseCode: 409, responseBody: bodyOf(sent.text), error: null, externalId: requestIdempotencyKey(request) } };
      }
      if (needsToken && sent.status === 401) {
        tokens.delete(tokenKey);
        if (cached !== undefined && renewal === 0) continue;
      }
      return retryable(sent, '');
    }
  }

  async function run(target: DispatchTarget, request: RetrainingRequest, startedAtMs: number): Promise<Outcome> {
    const deadline = startedAtMs + policy.maxTotalMs;
    for (let attempts = 1; ; attempts++) {
      const timeoutMs = Math.max(1, Math.min(policy.attemptTimeoutMs, deadline - now()));
      let result: AttemptResult;
      try {
        result = await attempt(target, request, timeoutMs);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { status: 'failed', attempts, responseCode: null, responseBody: null, error: message, externalId: null };
      }
      if (result.done) return { ...result.outcome, attempts };
      const give = (why: string): Outcome => ({
        status: 'failed',
        attempts,
        responseCode: result.responseCode,
        responseBody: result.responseBody,
        error: `${result.error} (${why})`,
        externalId: null,
      });
      if (attempts >= policy.maxAttempts) return give(`gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`);
      const delayMs = Math.max(backoffDelayMs(attempts, policy, random), result.delayHintMs ?? 0);
      if (now() + delayMs >= deadline) return give(`next attempt would pass the ${policy.maxTotalMs} ms budget`);
      await sleep(delayMs);
    }
  }

  function finish(record: DispatchRecord): DispatchRecord {
    try {
      options.auditLog?.append(record);
    } catch (error) {
      warn(`driftwatch: could not write dispatch audit record ${record.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      options.onDispatch?.(record);
    } catch (error) {
      warn(`driftwatch: onDispatch callback threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    return record;
  }

  return {
    async dispatch(target, request) {
      const startedAtMs = now();
      const idempotencyKey = requestIdempotencyKey(request);
      const base = {
        id: newId(),
        model: request.model,
        trigger: request.trigger.kind,
        incidentId: request.trigger.id,
        idempotencyKey,
        target: target.name,
        targetKind: target.kind,
        startedAtMs,
      };
      let prior: DispatchRecord | undefined;
      try {
        prior = options.auditLog?.findSuccess(idempotencyKey, target.name);
      } catch (error) {
        warn(`driftwatch: could not read the dispatch audit log: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (prior !== undefined) {
        return finish({
          ...base,
          status: 'skipped',
          attempts: 0,
          responseCode: null,
          responseBody: null,
          error: `already dispatched (record ${prior.id} at ${new Date(prior.finishedAtMs).toISOString()})`,
          externalId: prior.externalId,
          finishedAtMs: now(),
        });
      }
      const outcome = await run(target, request, startedAtMs);
      return finish({ ...base, ...outcome, finishedAtMs: now() });
    },
  };
}
