import { buildWebhookRequest, parseDispatchTarget, type RetrainingEvent, type WebhookTarget } from '@driftwatch/lifecycle';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoHooks, type DemoHooks } from './demo-hooks.js';
import { mountRetrainingReceiver, parseRetrainingEvent } from './retraining-receiver.js';

let hooks: DemoHooks | undefined;
afterEach(async () => {
  await hooks?.close();
  hooks = undefined;
});

const NOW = Date.UTC(2026, 0, 12, 12, 0, 0);

/** What the aggregator's webhook dispatcher sends (lifecycle's request builder), to `url`. */
function signedRequest(url: string, secret: string, incident = 'performance:accuracy:1'): { url: string; headers: Readonly<Record<string, string>>; body: string } {
  const target = parseDispatchTarget({ kind: 'webhook', name: 'hook', url, secret }) as WebhookTarget;
  const r = buildWebhookRequest(target, { model: 'churn', trigger: { kind: 'performance', id: incident, reasons: ['accuracy 0.70 < objective 0.75 for 5s'] }, requestedAtMs: NOW }, NOW);
  return { url: r.url, headers: r.headers, body: r.body ?? '' };
}

async function send(r: { url: string; headers: Readonly<Record<string, string>>; body: string }, change: (h: Record<string, string>) => void = () => undefined): Promise<{ status: number; body: unknown }> {
  const headers = { ...r.headers };
  change(headers);
  const res = await fetch(r.url, { method: 'POST', headers, body: r.body });
  return { status: res.status, body: await res.json() };
}

describe('the demo retraining receiver', () => {
  it('verifies the HMAC signature, starts one job per idempotency key and answers a retried delivery as a duplicate', async () => {
    hooks = await startDemoHooks('127.0.0.1');
    const events: RetrainingEvent[] = [];
    const receiver = mountRetrainingReceiver(hooks, { path: '/retrain', secret: 's3cret', now: () => NOW + 2_000, runJob: async (e) => void events.push(e) });
    const request = signedRequest(receiver.url, 's3cret');
    expect(await send(request)).toMatchObject({ status: 202, body: { accepted: true, idempotency_key: expect.stringMatching(/^dw-churn-[0-9a-f]{24}$/) } });
    expect(await send(request)).toMatchObject({ status: 200, body: { duplicate: true } });
    await receiver.jobs[0]?.done;
    expect(receiver.jobs).toHaveLength(1);
    expect(events).toEqual([expect.objectContaining({ model: 'churn', trigger: 'performance', incident_id: 'performance:accuracy:1', reasons: ['accuracy 0.70 < objective 0.75 for 5s'] })]);
    expect(receiver.deliveries.map((d) => [d.verdict, d.status])).toEqual([
      ['accepted', 202],
      ['duplicate', 200],
    ]);
  });

  it('rejects a wrong secret, a tampered body, a stale timestamp and a key that is not the event’s', async () => {
    hooks = await startDemoHooks('127.0.0.1');
    let jobs = 0;
    const receiver = mountRetrainingReceiver(hooks, { path: '/retrain', secret: 's3cret', now: () => NOW, runJob: async () => void jobs++ });
    expect((await send(signedRequest(receiver.url, 'other'))).status).toBe(401);
    const good = signedRequest(receiver.url, 's3cret');
    expect((await send({ ...good, body: good.body.replace('churn', 'chum') })).status).toBe(401);
    // signed at NOW, received ten minutes later (the tolerance is five)
    const late = mountRetrainingReceiver(hooks, { path: '/late', secret: 's3cret', now: () => NOW + 10 * 60_000, runJob: async () => void jobs++ });
    expect((await send(signedRequest(late.url, 's3cret'))).status).toBe(401);
    const other = await send(good, (h) => (h['Idempotency-Key'] = 'dw-churn-000000000000000000000000'));
    expect(other).toMatchObject({ status: 400, body: { error: expect.stringContaining("is not the event's idempotency_key") } });
    expect(jobs).toBe(0);
    expect(receiver.deliveries.map((d) => d.verdict)).toEqual(['bad_signature', 'bad_signature', 'bad_request']);
    // nothing mounted there
    expect((await fetch(`${hooks.url}/nothing`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('reads retraining events and names what is missing', () => {
    expect(() => parseRetrainingEvent('[')).toThrow('the body is not JSON');
    expect(() => parseRetrainingEvent('[]')).toThrow('the body is not a JSON object');
    expect(() => parseRetrainingEvent(JSON.stringify({ model: 'churn' }))).toThrow('trigger must be a non-empty string');
    const ok = { model: 'churn', trigger: 'drift', incident_id: 'x', idempotency_key: 'k', requested_at: 't', reasons: 'no' };
    expect(() => parseRetrainingEvent(JSON.stringify(ok))).toThrow('reasons must be a list of strings');
  });
});

describe('the demo hooks endpoint', () => {
  it('answers 413 for a body over 1 MiB and 500 when a handler throws', async () => {
    hooks = await startDemoHooks('127.0.0.1');
    hooks.mount('/boom', () => {
      throw new Error('handler failed');
    });
    const boom = await fetch(`${hooks.url}/boom`, { method: 'POST', body: '{}' });
    expect([boom.status, await boom.json()]).toEqual([500, { error: 'handler failed' }]);
    hooks.mount('/big', () => ({ status: 200 }));
    const big = await fetch(`${hooks.url}/big`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
  });
});
