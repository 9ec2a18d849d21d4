import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from './audit-log.js';
import type { DispatchRecord } from './audit-log.js';
import { parseDispatchTarget } from './dispatch-target.js';
import { createDispatcher } from './dispatcher.js';
import type { DispatcherOptions } from './dispatcher.js';
import { retrainingIdempotencyKey } from './idempotency-key.js';
import type { RetrainingRequest } from './retraining-request.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import { verifyWebhookSignature } from './webhook-signature.js';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A local HTTP server on 127.0.0.1:0 that records every request and answers with `handler`. */
async function startServer(handler: (req: Recorded, index: number) => Reply) {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const reply = handler(recorded, requests.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url, requests };
}

const T0 = Date.parse('2024-05-06T10:00:00Z');
const request: RetrainingRequest = {
  model: 'churn',
  trigger: { kind: 'drift', id: `drift:dataset:${T0}`, reasons: ['drift share 0.62 ≥ 0.5 for 30m'] },
  requestedAtMs: T0,
};
const KEY = retrainingIdempotencyKey('churn', `drift:dataset:${T0}`);

/** A dispatcher on a fake clock: `sleep` records the wait and advances the clock instantly. */
function fakeDispatcher(extra: Partial<DispatcherOptions> = {}) {
  const clock = { now: T0 };
  const sleeps: number[] = [];
  const records: DispatchRecord[] = [];
  let ids = 0;
  const dispatcher = createDispatcher({
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0,
    newId: () => `rec-${++ids}`,
    onDispatch: (record) => records.push(record),
    ...extra,
  });
  return { dispatcher, clock, sleeps, records };
}

const json = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe('webhook target', () => {
  it('POSTs the signed event with an Idempotency-Key', async () => {
    const server = await startServer(() => ({ status: 200, body: '{}' }));
    const target = parseDispatchTarget({ kind: 'webhook', name: 'hook', url: `${server.url}/hooks/retrain`, secret: 'top-secret', headers: { 'X-Team': 'ml' } });
    const { dispatcher } = fakeDispatcher();
    const record = await dispatcher.dispatch(target, { ...request, parameters: { champion_version: '3' } });

    expect(record).toMatchObject({ status: 'succeeded', attempts: 1, responseCode: 200, target: 'hook', targetKind: 'webhook', idempotencyKey: KEY, error: null });
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/hooks/retrain');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers['idempotency-key']).toBe(KEY);
    expect(sent?.headers['x-team']).toBe('ml');
    expect(sent?.headers['x-driftwatch-timestamp']).toBe(String(T0 / 1000));
    expect(json(sent?.body ?? '')).toEqual({
      champion_version: '3',
      model: 'churn',
      trigger: 'drift',
      incident_id: `drift:dataset:${T0}`,
      reasons: ['drift share 0.62 ≥ 0.5 for 30m'],
      idempotency_key: KEY,
      requested_at: '2024-05-06T10:00:00.000Z',
    });
    const verify = (secret: string, body: string) =>
      verifyWebhookSignature({
        secret,
        body,
        timestampHeader: sent?.headers['x-driftwatch-timestamp'] as string,
        signatureHeader: sent?.headers['x-driftwatch-signature'] as string,
        nowMs: T0 + 1000,
      });
    expect(verify('top-secret', sent?.body ?? '')).toBe(true);
    expect(verify('wrong', sent?.body ?? '')).toBe(false);
    expect(verify('top-secret', `${sent?.body ?? ''} `)).toBe(false);
  });
});

describe('GitHub targets', () => {
  const githubServer = () =>
    startServer((req) => {
      const ok = req.headers['authorization'] === 'Bearer ghp_test' && req.headers['x-github-api-version'] === '2022-11-28' && req.headers['accept'] === 'application/vnd.github+json';
      return ok ? { status: 204 } : { status: 401, body: '{"message":"Bad credentials"}' };
    });

  it('repository_dispatch: POST /repos/{owner}/{repo}/dispatches with event_type and client_payload', async () => {
    const server = await githubServer();
    const target = parseDispatchTarget({ kind: 'github_repository_dispatch', name: 'gha', repository: 'acme/models', token: 'ghp_test', base_url: server.url });
    const record = await fakeDispatcher().dispatcher.dispatch(target, request);
    expect(record).toMatchObject({ status: 'succeeded', responseCode: 204, attempts: 1 });
    const sent = server.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/repos/acme/models/dispatches');
    expect(sent?.headers['user-agent']).toMatch(/^driftwatch-lifecycle/);
    const body = json(sent?.body ?? '');
    expect(body['event_type']).toBe('driftwatch-retrain');
    expect(body['client_payload']).toMatchObject({ model: 'churn', trigger: 'drift', idempotency_key: KEY });
    expect(Object.keys(body['client_payload'] as object).length).toBeLessThanOrEqual(10);
  });

  it('workflow_dispatch: POST …/actions/workflows/{workflow}/dispatches with ref and string inputs', async () => {
    const server = await githubServer();
    const target = parseDispatchTarget({
      kind: 'github_workflow_dispatch', name: 'wf', repository: 'acme/models', workflow: 'retrain.yml', ref: 'main',
      token: 'ghp_test', inputs: { environment: 'staging' }, base_url: server.url,
    });
    const record = await fakeDispatcher().dispatcher.dispatch(target, request);
    expect(record.status).toBe('succeeded');
    const sent = server.requests[0];
    expect(sent?.path).toBe('/repos/acme/models/actions/workflows/retrain.yml/dispatches');
    expect(json(sent?.body ?? '')).toEqual({
      ref: 'main',
      inputs: {
        environment: 'staging',
        model: 'churn',
        trigger: 'drift',
        incident_id: `drift:dataset:${T0}`,
        idempotency_key: KEY,
        reasons: 'drift share 0.62 ≥ 0.5 for 30m',
      },
    });
  });

  it('fails without retrying on bad credentials', async () => {
    const server = await githubServer();
    const target = parseDispatchTarget({ kind: 'github_repository_dispatch', name: 'gha', repository: 'acme/models', token: 'nope', base_url: server.url });
    const { dispatcher, sleeps } = fakeDispatcher();
    const record = await dispatcher.dispatch(target, request);
    expect(record).toMatchObject({ status: 'failed', attempts: 1, responseCode: 401, error: 'HTTP 401: {"message":"Bad credentials"}' });
    expect(sleeps).toEqual([]);
  });

  it('waits for the rate-limit reset on a 403 rate limit, then succeeds', async () => {
    const server = await startServer((_req, i) =>
      i === 0 ? { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(T0 / 1000 + 20) }, body: '{"message":"API rate limit exceeded"}' } : { status: 204 },
    );
    const target = parseDispatchTarget({ kind: 'github_repository_dispatch', name: 'gha', repository: 'acme/models', token: 't', base_url: server.url });
    const { dispatcher, sleeps } = fakeDispatcher();
    const record = await dispatcher.dispatch(target, request);
    expect(record).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(sleeps).toEqual([20_000]);
  });

  it('refuses a client_payload over GitHub’s 10 properties without sending anything', async () => {
    const server = await githubServer();
    const target = parseDispatchTarget({ kind: 'github_repository_dispatch', name: 'gha', repository: 'acme/models', token: 'ghp_test', base_url: server.url });
    const parameters = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    const record = await fakeDispatcher().dispatcher.dispatch(target, { ...request, parameters });
    expect(record.status).toBe('failed');
    expect(record.error).toContain('client_payload would have 11 top-level properties');
    expect(server.requests).toHaveLength(0);
  });
});

describe('Airflow targets', () => {
  it('Airflow 2: POST /api/v1/dags/{dag_id}/dagRuns with basic auth, dag_run_id = idempotency key', async () => {
    const server = await startServer((req) =>
      req.headers['authorization'] === `Basic ${Buffer.from('admin:pw').toString('base64')}`
        ? { status: 200, body: JSON.stringify({ dag_run_id: json(req.body)['dag_run_id'], state: 'queued' }) }
        : { status: 401 },
    );
    const target = parseDispatchTarget({ kind: 'airflow', name: 'af', base_url: server.url, dag_id: 'retrain_churn', username: 'admin', password: 'pw', conf: { env: 'prod' } });
    const record = await fakeDispatcher().dispatcher.dispatch(target, request);
    expect(record).toMatchObject({ status: 'succeeded', responseCode: 200, externalId: KEY });
    const sent = server.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/api/v1/dags/retrain_churn/dagRuns');
    const body = json(sent?.body ?? '');
    expect(Object.keys(body).sort()).toEqual(['conf', 'dag_run_id']);
    expect(body['dag_run_id']).toBe(KEY);
    expect(body['conf']).toMatchObject({ env: 'prod', model: 'churn', idempotency_key: KEY });
  });

  it('treats 409 (dag_run_id exists) as an already-dispatched duplicate', async () => {
    const server = await startServer(() => ({ status: 409, body: '{"title":"DAGRun with DAG ID: retrain and DAGRun ID: x already exists"}' }));
    const target = parseDispatchTarget({ kind: 'airflow', name: 'af', base_url: server.url, dag_id: 'retrain', username: 'u', password: 'p' });
    const { dispatcher, sleeps } = fakeDispatcher();
    expect(await dispatcher.dispatch(target, request)).toMatchObject({ status: 'duplicate', responseCode: 409, externalId: KEY, error: null });
    expect(sleeps).toEqual([]);
  });

  it('Airflow 3: gets a JWT from /auth/token, then POST /api/v2/…/dagRuns with Bearer and logical_date null; reuses and renews the token', async () => {
    let validToken = 'jwt-1';
    let issued = 0;
    const server = await startServer((req) => {
      if (req.path === '/auth/token') {
        const body = json(req.body);
        if (body['username'] !== 'admin' || body['password'] !== 'pw') return { status: 401, body: '{"detail":"Invalid credentials"}' };
        issued += 1;
        return { status: 201, body: JSON.stringify({ access_token: validToken }) };
      }
      if (req.headers['authorization'] !== `Bearer ${validToken}`) return { status: 401, body: '{"detail":"Token expired"}' };
      return { status: 200, body: JSON.stringify({ dag_run_id: json(req.body)['dag_run_id'] }) };
    });
    const target = parseDispatchTarget({ kind: 'airflow', name: 'af3', version: 3, base_url: server.url, dag_id: 'retrain', username: 'admin', password: 'pw' });
    const { dispatcher } = fakeDispatcher();

    expect(await dispatcher.dispatch(target, request)).toMatchObject({ status: 'succeeded', attempts: 1 });
    const [tokenCall, runCall] = server.requests;
    expect(tokenCall?.method).toBe('POST');
    expect(tokenCall?.headers['content-type']).toBe('application/json');
    expect(runCall?.path).toBe('/api/v2/dags/retrain/dagRuns');
    expect(runCall?.headers['authorization']).toBe('Bearer jwt-1');
    const body = json(runCall?.body ?? '');
    expect(body).toHaveProperty('logical_date', null);
    expect(body['dag_run_id']).toBe(KEY);

    const second = { ...request, trigger: { ...request.trigger, id: 'volume:100' } };
    await dispatcher.dispatch(target, second);
    expect(issued).toBe(1); // cached token reused

    validToken = 'jwt-2'; // the server rotated its key: the cached token now gets 401
    const third = { ...request, trigger: { ...request.trigger, id: 'volume:200' } };
    expect(await dispatcher.dispatch(target, third)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(issued).toBe(2);
    expect(server.requests.at(-1)?.headers['authorization']).toBe('Bearer jwt-2');
  });

  it('Airflow 3: bad credentials fail at once', async () => {
    const server = await startServer(() => ({ status: 401, body: '{"detail":"Invalid credentials"}' }));
    const target = parseDispatchTarget({ kind: 'airflow', name: 'af3', version: 3, base_url: server.url, dag_id: 'retrain', username: 'admin', password: 'bad' });
    const { dispatcher, sleeps } = fakeDispatcher();
    const record = await dispatcher.dispatch(target, request);
    expect(record).toMatchObject({ status: 'failed', responseCode: 401, attempts: 1 });
    expect(record.error).toContain('token request: HTTP 401');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('Prefect target', () => {
  it('POST /deployments/{id}/create_flow_run with parameters, idempotency_key, tags and the API key', async () => {
    const server = await startServer((req) =>
      req.headers['authorization'] === 'Bearer pnu_key' ? { status: 201, body: JSON.stringify({ id: '7d3e-flow-run', state: { type: 'SCHEDULED' } }) } : { status: 401 },
    );
    const target = parseDispatchTarget({
      kind: 'prefect', name: 'pf', base_url: `${server.url}/api`, deployment_id: '0b4c1c57-d1e6', api_key: 'pnu_key',
      tags: ['ml'], parameters: { dataset: 's3://bucket/churn' },
    });
    const record = await fakeDispatcher().dispatcher.dispatch(target, request);
    expect(record).toMatchObject({ status: 'succeeded', responseCode: 201, externalId: '7d3e-flow-run' });
    const sent = server.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/api/deployments/0b4c1c57-d1e6/create_flow_run');
    const body = json(sent?.body ?? '');
    expect(body['idempotency_key']).toBe(KEY);
    expect(body['tags']).toEqual(['ml', 'driftwatch', 'model:churn', 'trigger:drift']);
    expect(body['parameters']).toMatchObject({ dataset: 's3://bucket/churn', driftwatch: { model: 'churn', idempotency_key: KEY } });
  });

  it('sends no Authorization header without an API key, and can leave the event out', async () => {
    const server = await startServer(() => ({ status: 201, body: '{"id":"x"}' }));
    const target = parseDispatchTarget({ kind: 'prefect', name: 'pf', base_url: `${server.url}/api`, deployment_id: 'd', event_parameter: null });
    await fakeDispatcher().dispatcher.dispatch(target, request);
    expect(server.requests[0]?.headers['authorization']).toBeUndefined();
    expect(json(server.requests[0]?.body ?? '')['parameters']).toEqual({});
  });
});

describe('retries', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 500, maxDelayMs: 10_000, maxAttempts: 4 };
  const hook = (url: string) => parseDispatchTarget({ kind: 'webhook', name: 'hook', url, secret: 's' });

  it('retries 5xx with exponential backoff, then succeeds, resending the same idempotency key', async () => {
    const server = await startServer((_req, i) => (i < 2 ? { status: 503, body: 'upstream down' } : { status: 200 }));
    const { dispatcher, sleeps } = fakeDispatcher({ retry: policy });
    const record = await dispatcher.dispatch(hook(server.url), request);
    expect(record).toMatchObject({ status: 'succeeded', attempts: 3, responseCode: 200 });
    expect(sleeps).toEqual([250, 500]); // equal jitter with random() = 0: cap/2
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([KEY]));
  });

  it('honours Retry-After on 429', async () => {
    const server = await startServer((_req, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '7' } } : { status: 200 }));
    const { dispatcher, sleeps } = fakeDispatcher({ retry: policy });
    expect((await dispatcher.dispatch(hook(server.url), request)).status).toBe('succeeded');
    expect(sleeps).toEqual([7000]);
  });

  it('does not retry other 4xx', async () => {
    const server = await startServer(() => ({ status: 422, body: '{"message":"Unexpected inputs provided"}' }));
    const { dispatcher, sleeps } = fakeDispatcher({ retry: policy });
    const record = await dispatcher.dispatch(hook(server.url), request);
    expect(record).toMatchObject({ status: 'failed', attempts: 1, responseCode: 422, error: 'HTTP 422: {"message":"Unexpected inputs provided"}' });
    expect(sleeps).toEqual([]);
  });

  it('gives up after maxAttempts', async () => {
    const server = await startServer(() => ({ status: 500 }));
    const { dispatcher, sleeps } = fakeDispatcher({ retry: policy });
    const record = await dispatcher.dispatch(hook(server.url), request);
    expect(record).toMatchObject({ status: 'failed', attempts: 4, responseCode: 500, error: 'HTTP 500 (gave up after 4 attempts)' });
    expect(sleeps).toEqual([250, 500, 1000]);
    expect(server.requests).toHaveLength(4);
  });

  it('stops when the next wait would pass the total time budget', async () => {
    const server = await startServer(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    const { dispatcher, sleeps } = fakeDispatcher({ retry: { ...policy, maxTotalMs: 60_000 } });
    const record = await dispatcher.dispatch(hook(server.url), request);
    expect(record.status).toBe('failed');
    expect(record.attempts).toBe(1);
    expect(record.error).toContain('next attempt would pass the 60000 ms budget');
    expect(sleeps).toEqual([]);
  });

  it('retries network errors', async () => {
    const server = await startServer(() => ({ status: 200 }));
    const url = server.url;
    await Promise.all(servers.splice(0).map((close) => close())); // nothing listens there any more
    const { dispatcher, sleeps } = fakeDispatcher({ retry: { ...policy, maxAttempts: 3 } });
    const record = await dispatcher.dispatch(hook(url), request);
    expect(record).toMatchObject({ status: 'failed', attempts: 3, responseCode: null });
    expect(record.error).toMatch(/^network error: .*\(gave up after 3 attempts\)$/);
    expect(sleeps).toEqual([250, 500]);
  });

  it('times out a hanging request and retries it', async () => {
    const server = await startServer((_req, i) => (i === 0 ? 'hang' : { status: 200 }));
    const { dispatcher } = fakeDispatcher({ retry: { ...policy, attemptTimeoutMs: 100 } });
    const record = await dispatcher.dispatch(hook(server.url), request);
    expect(record).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('reports a timeout in the error', async () => {
    const server = await startServer(() => 'hang');
    const { dispatcher } = fakeDispatcher({ retry: { ...policy, attemptTimeoutMs: 50, maxAttempts: 1 } });
    const record = await dispatcher.dispatch(hook(server.url), request);
    expect(record.error).toBe('request timed out after 50 ms (gave up after 1 attempt)');
  });
});

describe('audit and deduplication', () => {
  it('records every dispatch and skips a key that already succeeded at that target', async () => {
    const server = await startServer(() => ({ status: 200 }));
    const auditLog = createAuditLog(':memory:');
    const target = parseDispatchTarget({ kind: 'webhook', name: 'hook', url: server.url, secret: 's' });
    const other = parseDispatchTarget({ kind: 'webhook', name: 'hook-2', url: server.url, secret: 's' });
    const { dispatcher, records, clock } = fakeDispatcher({ auditLog });

    const first = await dispatcher.dispatch(target, request);
    clock.now += 1000;
    const again = await dispatcher.dispatch(target, request);
    const elsewhere = await dispatcher.dispatch(other, request);

    expect(first.status).toBe('succeeded');
    expect(again).toMatchObject({ status: 'skipped', attempts: 0, responseCode: null });
    expect(again.error).toBe('already dispatched (record rec-1 at 2024-05-06T10:00:00.000Z)');
    expect(elsewhere.status).toBe('succeeded');
    expect(server.requests).toHaveLength(2);
    expect(records.map((r) => r.status)).toEqual(['succeeded', 'skipped', 'succeeded']);
    expect(auditLog.list('churn').map((r) => r.id)).toEqual(['rec-3', 'rec-2', 'rec-1']);
    auditLog.close();
  });

  it('retries a key whose earlier dispatch failed', async () => {
    const server = await startServer((_req, i) => (i === 0 ? { status: 400 } : { status: 200 }));
    const auditLog = createAuditLog(':memory:');
    const target = parseDispatchTarget({ kind: 'webhook', name: 'hook', url: server.url, secret: 's' });
    const { dispatcher } = fakeDispatcher({ auditLog });
    expect((await dispatcher.dispatch(target, request)).status).toBe('failed');
    expect((await dispatcher.dispatch(target, request)).status).toBe('succeeded');
  });

  it('survives a throwing onDispatch callback and a broken audit log', async () => {
    const server = await startServer(() => ({ status: 200 }));
    const warnings: string[] = [];
    const auditLog = createAuditLog(':memory:');
    auditLog.close();
    const broken = { ...auditLog, append: () => { throw new Error('disk full'); }, findSuccess: () => { throw new Error('disk full'); } };
    const dispatcher = createDispatcher({ auditLog: broken, onDispatch: () => { throw new Error('boom'); }, warn: (m) => warnings.push(m) });
    const target = parseDispatchTarget({ kind: 'webhook', name: 'hook', url: server.url, secret: 's' });
    expect((await dispatcher.dispatch(target, request)).status).toBe('succeeded');
    expect(warnings).toHaveLength(3);
    expect(warnings.join('\n')).toContain('could not write dispatch audit record');
    expect(warnings.join('\n')).toContain('onDispatch callback threw: boom');
  });
});
