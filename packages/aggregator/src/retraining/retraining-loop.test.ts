// The retraining loop through a running aggregator: each trigger kind from real evaluations (drift from ingested
// sketches against a reference, performance from joined feedback against the model's SLA, volume from labelled
// records posted as OTLP logs, a cron schedule, Alertmanager alerts), the cooldown and deduplication, persistence
// across a restart, retries, and the request every dispatch target receives from a local server that checks it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retrainingIdempotencyKey, verifyWebhookSignature } from '@driftwatch/lifecycle';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { promtoolCheck } from '../testing/promtool.test-support.js';
import {
  getJson,
  postJson,
  quietLogger,
  recordsExport,
  sendFeedback,
  sendTraffic,
  setChurnReference,
  startTargetServer,
  type ReceivedRequest,
  type TargetServer,
} from '../testing/retraining-fixtures.test-support.js';

const MIN = 60_000;
/** Monday 2026-01-05 02:00 UTC. */
const T0 = Date.UTC(2026, 0, 5, 2, 0, 0);
const SECRET = 'am-secret';

let clock = T0;
const now = (): number => clock;
let target: TargetServer;
let dir: string;
const running: Aggregator[] = [];

beforeEach(async () => {
  clock = T0;
  target = await startTargetServer();
  dir = mkdtempSync(join(tmpdir(), 'dw-retrain-'));
});

afterEach(async () => {
  for (const a of running.splice(0)) await a.stop();
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

const hook = (name = 'hook', path = '/retrain') => ({ kind: 'webhook', name, url: `${target.url}${path}`, secret: 'hook-secret' });

function config(policy: Record<string, unknown>, extra: Record<string, unknown> = {}, targets: unknown[] = [hook()]): Record<string, unknown> {
  return {
    dataDir: dir,
    httpPort: 0,
    otlpPort: 0,
    alertsSecret: SECRET,
    retraining: { targets, retry: { max_attempts: 3, initial_delay_ms: 1, max_delay_ms: 5 } },
    models: { churn: { sla: { min_accuracy: 0.9, max_drift_share: 0.5 }, retraining: { targets: ['hook'], ...policy } } },
    ...extra,
  };
}

async function start(input: Record<string, unknown>): Promise<Aggregator> {
  const a = createAggregator(input, { now, timers: false, logger: quietLogger() });
  await a.start();
  running.push(a);
  return a;
}

async function evaluate(a: Aggregator): Promise<void> {
  a.evaluateNow();
  await a.retraining?.whenIdle();
}

const events = (): Array<Record<string, unknown>> => target.requests.map((r) => r.json as Record<string, unknown>);

interface Report {
  policy: Record<string, unknown> | null;
  state: Record<string, unknown> | null;
  lastDecision: { fired: boolean; suppressedBy: string | null; incidents: string[] } | null;
  pendingDispatches: number;
  dispatches: Array<Record<string, unknown>>;
}
const report = async (a: Aggregator, model = 'churn') => getJson<Report>(`http://127.0.0.1:${a.httpPort}/api/v1/models/${model}/retraining`);

describe('retraining triggers through the aggregator', () => {
  it('drift: dataset drift sustained for sustained_for requests ONE retraining; a second incident waits for the cooldown', async () => {
    const a = await start(config({ drift: { sustained_for: '10m' }, cooldown: '2h' }));
    setChurnReference(a);
    sendTraffic(a, 1000, 500);
    await evaluate(a); // drift share 1 since T0: not yet sustained
    clock += 5 * MIN;
    sendTraffic(a, 1000, 500);
    await evaluate(a);
    expect(target.requests).toHaveLength(0);
    clock += 5 * MIN;
    await evaluate(a);
    expect(events()).toMatchObject([{ model: 'churn', trigger: 'drift', incident_id: `drift:dataset:${T0}`, idempotency_key: retrainingIdempotencyKey('churn', `drift:dataset:${T0}`), version: '3' }]);
    expect((events()[0]?.['reasons'] as string[])[0]).toMatch(/^drift share 1 ≥ 0\.5000? for 10m/);
    for (let i = 0; i < 3; i++) {
      clock += MIN;
      await evaluate(a); // the same drift period: deduplicated
    }
    expect(target.requests).toHaveLength(1);

    // the drifted traffic leaves the 1h window: the incident ends
    clock = T0 + 75 * MIN;
    sendTraffic(a, 1000, 0);
    await evaluate(a);
    expect((await report(a)).body.state?.['datasetDriftSince']).toBeNull();
    // a new drift period, sustained, inside the cooldown (until T0 + 130m): suppressed
    clock = T0 + 80 * MIN;
    sendTraffic(a, 1000, 500);
    await evaluate(a);
    clock = T0 + 95 * MIN;
    sendTraffic(a, 1000, 500);
    await evaluate(a);
    expect(target.requests).toHaveLength(1);
    const r = (await report(a)).body;
    expect(r.lastDecision).toMatchObject({ fired: false, suppressedBy: 'cooldown', incidents: [`drift:dataset:${T0 + 80 * MIN}`] });
    expect(r.state).toMatchObject({ inCooldown: true, cooldownUntil: new Date(T0 + 130 * MIN).toISOString() });
    // still drifted when the cooldown ends: it fires then, once
    clock = T0 + 131 * MIN;
    sendTraffic(a, 1000, 500);
    await evaluate(a);
    clock += MIN;
    await evaluate(a);
    expect(events().map((e) => e['incident_id'])).toEqual([`drift:dataset:${T0}`, `drift:dataset:${T0 + 80 * MIN}`]);
  });

  it('drift: a listed feature drifted (per-feature trigger), while the dataset share stays below its threshold', async () => {
    const a = await start(config({ drift: { features: ['tenure'], sustained_for: '5m' } }));
    setChurnReference(a);
    sendTraffic(a, 1000, 500, ['balance']);
    await evaluate(a);
    clock += 10 * MIN;
    await evaluate(a);
    expect(target.requests).toHaveLength(0); // balance drifted, tenure did not
    sendTraffic(a, 5000, 500, ['tenure']);
    await evaluate(a);
    clock += 5 * MIN;
    await evaluate(a);
    expect(events()).toMatchObject([{ trigger: 'drift', incident_id: `drift:feature:tenure:${T0 + 10 * MIN}` }]);
  });

  it("performance: accuracy below the model's SLA (min_accuracy, as driftwatch_model_sla_threshold exports it)", async () => {
    const a = await start(config({ performance: { min_samples: 100 } }));
    const text = await a.metricsText();
    expect(text).toContain('driftwatch_model_sla_threshold{model="churn",objective="min_accuracy"} 0.9');
    sendTraffic(a, 200, 0);
    sendFeedback(a, 200, 190); // 0.95: fine
    await evaluate(a);
    expect(target.requests).toHaveLength(0);
    clock += MIN;
    sendFeedback(a, 400, 200); // window: 390 / 600 = 0.65
    await evaluate(a);
    expect(events()).toMatchObject([{ trigger: 'performance', incident_id: `performance:accuracy:${T0 + MIN}` }]);
    expect((events()[0]?.['reasons'] as string[])[0]).toMatch(/^accuracy 0\.6500 < objective 0\.9000 for 0s \(600 labels\)/);
  });

  it('volume: N new labelled records (records posted as OTLP logs, labels joined late) since the last training', async () => {
    const a = await start(config({ volume: { new_labels: 3 }, cooldown: '1m' }));
    await evaluate(a); // baseline 0
    const logs = `http://127.0.0.1:${a.otlpPort}/v1/logs`;
    const rec = (id: string, label?: unknown) => ({ kind: 'record' as const, id, timeMs: clock, features: { tenure: 1 }, output: 0.3, ...(label === undefined ? {} : { label }) });
    expect((await postJson(logs, recordsExport([rec('p1', 1), rec('p2'), rec('p3')]))).status).toBe(200);
    await evaluate(a);
    expect(target.requests).toHaveLength(0); // one labelled record
    await postJson(logs, recordsExport([{ kind: 'label', id: 'p2', timeMs: clock, label: 0 }, { kind: 'label', id: 'p3', timeMs: clock, label: 1 }, { kind: 'label', id: 'p3', timeMs: clock, label: 0 }]));
    await evaluate(a);
    expect(events()).toMatchObject([{ trigger: 'volume', incident_id: 'volume:0' }]);
    expect((events()[0]?.['reasons'] as string[])[0]).toBe('3 new labelled records since the last training ≥ 3');
    clock += 2 * MIN;
    await postJson(logs, recordsExport([rec('p4', 1), rec('p5', 0)]));
    await evaluate(a);
    expect(target.requests).toHaveLength(1); // 2 new since the baseline 3
    await postJson(logs, recordsExport([rec('p6', 1)]));
    await evaluate(a);
    expect(events().map((e) => e['incident_id'])).toEqual(['volume:0', 'volume:3']);
  });

  it('schedule: the cron run fires once when due, missed runs while the aggregator was down coalesce into one', async () => {
    clock = T0 + 59 * MIN; // 02:59
    const a = await start(config({ schedule: '0 3 * * *', cooldown: '1m' }));
    await evaluate(a);
    expect(target.requests).toHaveLength(0);
    clock = T0 + 60 * MIN + 10_000; // 03:00:10
    await evaluate(a);
    clock += MIN;
    await evaluate(a);
    const due = T0 + 60 * MIN;
    expect(events()).toMatchObject([{ trigger: 'schedule', incident_id: `schedule:${due}` }]);
    await a.stop();
    // down for three days: one run, not three
    clock = due + 3 * 86_400_000 + 5 * MIN;
    const b = await start(config({ schedule: '0 3 * * *', cooldown: '1m' }));
    await evaluate(b);
    await evaluate(b);
    expect(events().map((e) => e['incident_id'])).toEqual([`schedule:${due}`, `schedule:${due + 86_400_000}`]);
  });
});

describe('retraining across a restart', () => {
  it('neither re-fires nor forgets the cooldown, and finishes a dispatch that was in flight with the same idempotency key', async () => {
    target.reply = () => 'hang';
    const input = config({ drift: { sustained_for: '0s' }, performance: { min_samples: 100 }, cooldown: '1h' });
    const a = await start(input);
    setChurnReference(a);
    sendTraffic(a, 1000, 500);
    a.evaluateNow(); // fires; the target never answers
    await new Promise((r) => setTimeout(r, 50));
    expect(target.requests).toHaveLength(1);
    expect(await a.metricsText()).toContain('driftwatch_retraining_pending_dispatches 1');
    await a.stop();
    running.splice(running.indexOf(a), 1);

    target.reply = () => ({ status: 202, body: { accepted: true } });
    clock += 5 * MIN;
    const b = await start(input);
    await b.retraining?.whenIdle();
    expect(target.requests).toHaveLength(2);
    const keys = target.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toBe(retrainingIdempotencyKey('churn', `drift:dataset:${T0}`));
    // the drift goes on (restored windows), and accuracy now breaks the SLA inside the cooldown: nothing is sent
    sendFeedback(b, 300, 100);
    await evaluate(b);
    expect(target.requests).toHaveLength(2);
    const r = (await report(b)).body;
    expect(r.lastDecision).toMatchObject({ fired: false, suppressedBy: 'cooldown' });
    expect(r.state).toMatchObject({ inCooldown: true, lastRequestedAt: new Date(T0).toISOString() });
    expect(r.dispatches).toMatchObject([{ status: 'succeeded', responseCode: 202, response: '{"accepted":true}', idempotencyKey: keys[0], target: 'hook', attempts: 1 }]);
    expect(r.pendingDispatches).toBe(0);
    // after the cooldown the performance incident (still breached) fires; the drift incident was handled
    clock = T0 + 61 * MIN;
    sendTraffic(b, 1000, 500);
    await evaluate(b);
    expect(events().map((e) => e['trigger'])).toEqual(['drift', 'drift', 'performance']);
  });
});

describe('idempotency across a crash between the dispatch and its bookkeeping', () => {
  it('skips a resumed dispatch whose key the audit log already shows as succeeded: nothing is sent twice', async () => {
    const input = config({ alerts: true });
    const a = await start(input);
    const url = `http://127.0.0.1:${a.httpPort}/api/v1/alerts`;
    await postJson(url, alertmanagerBody([{ fingerprint: 'crash' }]), { authorization: `Bearer ${SECRET}` });
    await a.retraining?.whenIdle();
    expect(target.requests).toHaveLength(1);
    await a.stop();
    running.splice(0);
    // the process died after the target answered and the audit record was written, before the outbox row was deleted
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'driftwatch.db'));
    const key = retrainingIdempotencyKey('churn', `alert:crash:${T0 - MIN}`);
    const request = { model: 'churn', trigger: { kind: 'alert', id: `alert:crash:${T0 - MIN}`, reasons: ['again'] }, requestedAtMs: T0 };
    db.prepare('INSERT INTO retraining_outbox (idempotency_key, target, model, request, created_ms) VALUES (?, ?, ?, ?, ?)').run(key, 'hook', 'churn', JSON.stringify(request), T0);
    db.close();
    const b = await start(input);
    await b.retraining?.whenIdle();
    expect(target.requests).toHaveLength(1);
    const r = (await report(b)).body;
    expect(r.dispatches.map((d) => [d['status'], d['idempotencyKey'], d['attempts']])).toEqual([
      ['skipped', key, 0],
      ['succeeded', key, 1],
    ]);
    expect(r.pendingDispatches).toBe(0);
    expect(await b.metricsText()).toContain('driftwatch_retraining_dispatches_total{model="churn",target="hook",status="skipped"} 1');
  });
});

describe('dispatch: retries, failures, metrics and the audit endpoint', () => {
  it('retries 5xx with backoff, fails a 4xx at once, counts both and lists every dispatch newest first', async () => {
    let flaky = 0;
    target.reply = (r) => {
      if (r.path === '/flaky') return ++flaky <= 2 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { run: 'r-1' } };
      return { status: 400, body: { error: 'bad event' } };
    };
    const a = await start({
      ...config({ alerts: true, targets: ['flaky', 'bad'] }, {}, [hook('flaky', '/flaky'), hook('bad', '/bad')]),
    });
    const before = await a.metricsText();
    expect(before).toContain('driftwatch_retraining_dispatches_total{model="churn",target="bad",status="failed"} 0');
    const alert = alertmanagerBody([{ fingerprint: 'f1' }]);
    const res = await postJson(`http://127.0.0.1:${a.httpPort}/api/v1/alerts`, alert, { authorization: `Bearer ${SECRET}` });
    expect(res.status).toBe(200);
    await a.retraining?.whenIdle();
    expect(target.requests.map((r) => r.path).sort()).toEqual(['/bad', '/flaky', '/flaky', '/flaky']);
    const text = await a.metricsText();
    expect(text).toContain('driftwatch_retraining_dispatches_total{model="churn",target="flaky",status="succeeded"} 1');
    expect(text).toContain('driftwatch_retraining_dispatches_total{model="churn",target="bad",status="failed"} 1');
    expect(text).toContain('driftwatch_retraining_dispatch_failures_total{model="churn",target="bad",reason="http_4xx"} 1');
    expect(text).toContain('driftwatch_retraining_requests_total{model="churn",trigger="alert"} 1');
    expect(text).toContain(`driftwatch_retraining_last_request_timestamp_seconds{model="churn"} ${T0 / 1000}`);
    const checked = promtoolCheck(text);
    if (checked) expect(checked, checked.output).toMatchObject({ status: 0 });
    const r = (await report(a)).body;
    const key = retrainingIdempotencyKey('churn', `alert:f1:${T0 - MIN}`);
    const byTarget = Object.fromEntries(r.dispatches.map((d) => [d['target'], d]));
    expect(byTarget['flaky']).toMatchObject({ status: 'succeeded', attempts: 3, responseCode: 200, response: '{"run":"r-1"}', idempotencyKey: key, trigger: 'alert', targetKind: 'webhook' });
    expect(byTarget['bad']).toMatchObject({ status: 'failed', attempts: 1, responseCode: 400, response: '{"error":"bad event"}', idempotencyKey: key });
    expect(String(byTarget['bad']?.['error'])).toContain('HTTP 400');
    expect(r.policy).toMatchObject({ enabled: true, targets: ['flaky', 'bad'], alerts: true, cooldownSeconds: 21_600 });

    // counters survive a restart (seeded from the audit log)
    await a.stop();
    running.splice(0);
    const b = await start({ ...config({ alerts: true, targets: ['flaky', 'bad'] }, {}, [hook('flaky', '/flaky'), hook('bad', '/bad')]) });
    expect(await b.metricsText()).toContain('driftwatch_retraining_dispatches_total{model="churn",target="bad",status="failed"} 1');
  });

  it('GET /api/v1/models/{model}/retraining: 404 without a policy or dispatch, 400 on a bad limit', async () => {
    const a = await start(config({ alerts: true }));
    const base = `http://127.0.0.1:${a.httpPort}/api/v1/models`;
    expect((await getJson(`${base}/fraud/retraining`)).status).toBe(404);
    expect((await getJson(`${base}/churn/retraining?limit=0`)).status).toBe(400);
    const ok = await getJson<Report>(`${base}/churn/retraining?limit=5`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ dispatches: [], pendingDispatches: 0 });
  });
});

function alertmanagerBody(alerts: Array<{ fingerprint: string; status?: string; labels?: Record<string, string> }>): unknown {
  return {
    version: '4',
    groupKey: '{}:{alertname="DriftwatchDatasetDrift"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'driftwatch-retrain',
    groupLabels: { alertname: 'DriftwatchDatasetDrift' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts: alerts.map((x) => ({
      status: x.status ?? 'firing',
      labels: { alertname: 'DriftwatchDatasetDrift', model: 'churn', version: '3', severity: 'high', ...x.labels },
      annotations: { summary: 'drift' },
      startsAt: new Date(T0 - MIN).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: x.fingerprint,
    })),
  };
}

describe('POST /api/v1/alerts (Alertmanager webhook)', () => {
  it('checks the shared secret (401), validates the body (400 naming the field), and starts one retraining per alert incident', async () => {
    const a = await start(config({ alerts: true }));
    const url = `http://127.0.0.1:${a.httpPort}/api/v1/alerts`;
    const auth = { authorization: `Bearer ${SECRET}` };
    const body = alertmanagerBody([{ fingerprint: 'abc' }]);
    expect((await postJson(url, body)).status).toBe(401);
    expect((await postJson(url, body, { authorization: 'Bearer wrong' })).status).toBe(401);
    const bad = await postJson(url, { ...(body as object), alerts: [{ status: 'firing', startsAt: 'yesterday', fingerprint: 'x' }] }, auth);
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'invalid Alertmanager notification: alerts[0].startsAt: "yesterday" is not an RFC 3339 timestamp' });
    expect((await postJson(url, '{"version": "4", ', auth)).status).toBe(400);
    expect(target.requests).toHaveLength(0);

    const first = await postJson(url, body, auth);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ alerts: 1, firing: 1, ignored: 0, retrainings: [{ model: 'churn', trigger: 'alert', incidentId: `alert:abc:${T0 - MIN}`, targets: ['hook'] }] });
    await a.retraining?.whenIdle();
    // Alertmanager re-sends the group every repeat_interval: the same alert is one incident
    clock += 4 * 3_600_000;
    const again = await postJson(url, body, auth);
    expect(again.json).toMatchObject({ firing: 1, retrainings: [] });
    // other models, alerts without a model, and the retraining loop's own alerts never start a retraining
    const others = await postJson(
      url,
      alertmanagerBody([
        { fingerprint: 'o1', labels: { model: 'fraud' } },
        { fingerprint: 'o2', labels: { alertname: 'DriftwatchRetrainingDispatchFailed' } },
      ]),
      auth,
    );
    expect(others.json).toMatchObject({ alerts: 2, firing: 0, ignored: 2, retrainings: [] });
    await a.retraining?.whenIdle();
    expect(events()).toMatchObject([{ trigger: 'alert', incident_id: `alert:abc:${T0 - MIN}`, reasons: [`alert DriftwatchDatasetDrift firing since ${new Date(T0 - MIN).toISOString()}`] }]);
    // a resolved alert is dropped from the observations
    const resolved = await postJson(url, alertmanagerBody([{ fingerprint: 'abc', status: 'resolved' }]), auth);
    expect(resolved.json).toMatchObject({ resolved: 1 });
    expect((await report(a)).body).toMatchObject({ alerts: [] });
  });

  it('answers 401 when no secret is configured, and ignores alerts for a model whose policy has alerts: false', async () => {
    const noSecret = await start({ ...config({ drift: { share: 0.5 } }), alertsSecret: undefined });
    const res = await postJson(`http://127.0.0.1:${noSecret.httpPort}/api/v1/alerts`, alertmanagerBody([{ fingerprint: 'a' }]), { authorization: 'Bearer anything' });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: expect.stringContaining('alertsSecret') });
    await noSecret.stop();
    running.splice(0);
    const withSecret = await start(config({ drift: { share: 0.5 } }));
    const ignored = await postJson(`http://127.0.0.1:${withSecret.httpPort}/api/v1/alerts`, alertmanagerBody([{ fingerprint: 'a' }]), { authorization: `Bearer ${SECRET}` });
    expect(ignored.json).toMatchObject({ ignored: 1, retrainings: [] });
  });
});

describe('every dispatch target, through the aggregator, against a local server that checks the request', () => {
  it('sends the webhook, GitHub repository_dispatch and workflow_dispatch, Airflow 2 and 3, and Prefect requests', async () => {
    const failures: string[] = [];
    const check = (r: ReceivedRequest, what: string, ok: boolean): void => {
      if (!ok) failures.push(`${r.method} ${r.path}: ${what}`);
    };
    target.reply = (r) => {
      const h = r.headers;
      const json = r.json as Record<string, unknown>;
      check(r, 'method', r.method === 'POST');
      check(r, 'content type', h['content-type'] === 'application/json');
      switch (r.path) {
        case '/hooks/retrain': {
          const sig = verifyWebhookSignature({
            secret: 'hook-secret',
            body: r.body,
            timestampHeader: h['x-driftwatch-timestamp'] as string,
            signatureHeader: h['x-driftwatch-signature'] as string,
            nowMs: now(),
          });
          check(r, 'signature', sig);
          check(r, 'team header', h['x-team'] === 'ml');
          return { status: 200 };
        }
        case '/gh/repos/acme/models/dispatches':
        case '/gh/repos/acme/models/actions/workflows/retrain.yml/dispatches':
          check(r, 'github auth', h['authorization'] === 'Bearer ghp_test' && h['accept'] === 'application/vnd.github+json' && h['x-github-api-version'] === '2022-11-28');
          return { status: 204 };
        case '/af2/api/v1/dags/retrain_churn/dagRuns':
          check(r, 'basic auth', h['authorization'] === `Basic ${Buffer.from('svc:pw2').toString('base64')}`);
          return { status: 200, body: { dag_run_id: json['dag_run_id'], state: 'queued' } };
        case '/af3/auth/token':
          check(r, 'token body', json['username'] === 'svc' && json['password'] === 'pw3');
          return { status: 201, body: { access_token: 'jwt-123', token_type: 'bearer' } };
        case '/af3/api/v2/dags/retrain_churn/dagRuns':
          check(r, 'jwt', h['authorization'] === 'Bearer jwt-123');
          return { status: 200, body: { dag_run_id: json['dag_run_id'], state: 'queued' } };
        case '/prefect/api/deployments/0b4c-dep/create_flow_run':
          check(r, 'prefect key', h['authorization'] === 'Bearer pnu_test');
          return { status: 201, body: { id: 'flow-run-7', state: { type: 'SCHEDULED' } } };
        default:
          failures.push(`unexpected ${r.method} ${r.path}`);
          return { status: 404 };
      }
    };
    const targets = [
      { kind: 'webhook', name: 'hook', url: `${target.url}/hooks/retrain`, secret: 'hook-secret', headers: { 'X-Team': 'ml' } },
      { kind: 'github_repository_dispatch', name: 'gha', repository: 'acme/models', token: 'ghp_test', event_type: 'driftwatch-retrain', base_url: `${target.url}/gh` },
      { kind: 'github_workflow_dispatch', name: 'gha-wf', repository: 'acme/models', workflow: 'retrain.yml', ref: 'main', token: 'ghp_test', inputs: { environment: 'prod' }, base_url: `${target.url}/gh` },
      { kind: 'airflow', name: 'af2', version: 2, base_url: `${target.url}/af2`, dag_id: 'retrain_churn', username: 'svc', password: 'pw2', conf: { team: 'ml' } },
      { kind: 'airflow', name: 'af3', version: 3, base_url: `${target.url}/af3`, dag_id: 'retrain_churn', username: 'svc', password: 'pw3' },
      { kind: 'prefect', name: 'pf', base_url: `${target.url}/prefect/api`, deployment_id: '0b4c-dep', api_key: 'pnu_test', tags: ['ml'] },
    ];
    const names = targets.map((t) => t.name);
    const a = await start(config({ performance: { min_samples: 100 }, targets: names }, {}, targets));
    sendTraffic(a, 200, 0);
    sendFeedback(a, 200, 100);
    await evaluate(a);
    expect(failures).toEqual([]);
    const incident = `performance:accuracy:${T0}`;
    const key = retrainingIdempotencyKey('churn', incident);
    const by = Object.fromEntries(target.requests.map((r) => [r.path, r]));
    const event = { model: 'churn', trigger: 'performance', incident_id: incident, idempotency_key: key, requested_at: new Date(T0).toISOString(), version: '3' };
    expect(by['/hooks/retrain']?.json).toMatchObject(event);
    expect(by['/hooks/retrain']?.headers['idempotency-key']).toBe(key);
    expect(by['/gh/repos/acme/models/dispatches']?.json).toMatchObject({ event_type: 'driftwatch-retrain', client_payload: event });
    expect(by['/gh/repos/acme/models/actions/workflows/retrain.yml/dispatches']?.json).toEqual({
      ref: 'main',
      inputs: { environment: 'prod', model: 'churn', trigger: 'performance', incident_id: incident, idempotency_key: key, reasons: expect.stringMatching(/^accuracy 0\.5000 < objective/) },
    });
    expect(by['/af2/api/v1/dags/retrain_churn/dagRuns']?.json).toMatchObject({ dag_run_id: key, conf: { team: 'ml', ...event } });
    expect(by['/af3/api/v2/dags/retrain_churn/dagRuns']?.json).toMatchObject({ dag_run_id: key, logical_date: null, conf: event });
    expect(by['/prefect/api/deployments/0b4c-dep/create_flow_run']?.json).toMatchObject({
      idempotency_key: key,
      parameters: { driftwatch: event },
      tags: ['ml', 'driftwatch', 'model:churn', 'trigger:performance'],
    });
    const r = (await report(a)).body;
    expect(Object.fromEntries(r.dispatches.map((d) => [d['target'], [d['status'], d['externalId'], d['targetKind']]]))).toEqual({
      hook: ['succeeded', null, 'webhook'],
      gha: ['succeeded', null, 'github_repository_dispatch'],
      'gha-wf': ['succeeded', null, 'github_workflow_dispatch'],
      af2: ['succeeded', key, 'airflow'],
      af3: ['succeeded', key, 'airflow'],
      pf: ['succeeded', 'flow-run-7', 'prefect'],
    });
    expect(r.dispatches.find((d) => d['target'] === 'af3')?.['attempts']).toBe(1);
  });
});
