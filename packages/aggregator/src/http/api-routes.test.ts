import { ExponentialHistogram } from '@driftwatch/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { send, postExport } from '../testing/http-client.test-support.js';
import { DELTA, MODEL, RESOURCE, expHistogram, expPoint, request } from '../testing/otlp-builders.test-support.js';

const NOW = Date.parse('2025-03-01T10:02:30Z');
const quiet = { info() {}, warn() {}, error() {} };

describe('the HTTP API as a client meets it', () => {
  let agg: Aggregator;
  let api: string;
  beforeAll(async () => {
    agg = createAggregator({ dataDir: ':memory:', otlpPort: 0, httpPort: 0 }, { logger: quiet, timers: false, now: () => NOW });
    await agg.start();
    api = `http://127.0.0.1:${agg.httpPort}`;
    const h = new ExponentialHistogram();
    h.recordMany(Array.from({ length: 200 }, (_, i) => i));
    const point = expPoint({ ...MODEL, 'ml.feature.name': 'tenure' }, h, { time: BigInt(NOW - 60_000) * 1_000_000n });
    const reply = await postExport(`http://127.0.0.1:${agg.otlpPort}`, request(RESOURCE, [expHistogram('ml.model.feature.value', [point], DELTA)]));
    expect(reply.status).toBe(200);
  });
  afterAll(async () => {
    await agg.stop();
  });

  const capture = (body: unknown) =>
    send(`${api}/api/v1/models/churn/versions/3/reference/capture`, 'POST', JSON.stringify(body), { 'content-type': 'application/json' });

  it('captures a reference from a production window, and refuses a body with an unknown field (a misspelt "to")', async () => {
    const typo = await capture({ from: '2025-03-01T09:00:00Z', too: '2025-03-01T09:30:00Z' });
    expect(typo.status).toBe(400);
    expect(JSON.parse(typo.body.toString())).toEqual({ error: 'too: unknown field (expected from, to)' });
    expect(agg.state.models.get('churn')?.versions.get('3')?.reference).toBeUndefined();

    const ok = await capture({ from: '2025-03-01T09:00:00Z' });
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.body.toString())).toMatchObject({ model: 'churn', version: '3', source: 'capture', rowCount: 200 });
  });

  it('reads a request path starting with // as a path, not as a host', async () => {
    const reply = await send(`${api}//api/v1/models`, 'GET', undefined);
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body.toString())).toEqual({ error: 'no route for GET //api/v1/models' });
    const models = await send(`${api}/api/v1/models?x=1`, 'GET', undefined);
    expect(models.status).toBe(200);
  });
});
