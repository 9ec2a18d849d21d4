// End to end: the real SDK (`monitor()` with `records: { sampleRate }`, the official OTLP logs exporter, protobuf and
// JSON) sends sampled prediction records and late labels to a running aggregator, which stores and joins them and
// streams them out of GET /api/v1/models/{model}/records.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitor, type ExportProtocol } from '@driftwatch/instrument';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { quietLogger } from '../testing/retraining-fixtures.test-support.js';

let dir: string;
let aggregator: Aggregator;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dw-records-sdk-'));
  aggregator = createAggregator({ dataDir: dir, httpPort: 0, otlpPort: 0 }, { timers: false, logger: quietLogger() });
  await aggregator.start();
});
afterEach(async () => {
  await aggregator.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['http/protobuf', 'http/json'] as ExportProtocol[])('SDK records → aggregator (%s)', (protocol) => {
  it('stores every sampled prediction once, joins the labels, and exports them', async () => {
    const predict = monitor((row: { id: string; tenure: number; plan: string }) => (row.tenure < 12 ? 0.8 : 0.2), {
      model: 'churn',
      version: '3',
      features: { tenure: 'numeric', plan: 'categorical' },
      output: 'probability',
      records: { sampleRate: 1 },
      endpoint: `http://127.0.0.1:${aggregator.otlpPort}`,
      protocol,
      exportIntervalMillis: 60_000,
      resource: { 'service.name': 'churn-api' },
      logger: { info() {}, warn() {} },
    });
    for (let i = 0; i < 20; i++) predict({ id: `u${i}`, tenure: i, plan: i % 2 === 0 ? 'pro, annual' : 'free' });
    for (let i = 0; i < 20; i += 2) predict.feedback(`u${i}`, i < 12 ? 1 : 0);
    await predict.shutdown();
    expect(predict.health().records).toMatchObject({ predictions: 20, labels: 10, export: { failedRecords: 0 } });

    const res = await fetch(`http://127.0.0.1:${aggregator.httpPort}/api/v1/models/churn/records?format=jsonl`);
    expect(res.status).toBe(200);
    const rows = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { prediction_id: string; features: Record<string, unknown>; output: unknown; label: unknown; sample_rate: number; version: string });
    expect(rows).toHaveLength(20);
    const byId = new Map(rows.map((r) => [r.prediction_id, r]));
    expect(byId.get('u3')).toMatchObject({ version: '3', sample_rate: 1, features: { id: 'u3', tenure: 3, plan: 'free' }, output: 0.8, label: null });
    expect(byId.get('u4')).toMatchObject({ features: { plan: 'pro, annual' }, label: 1 });
    expect(byId.get('u14')).toMatchObject({ output: 0.2, label: 0 });
    expect(rows.filter((r) => r.label !== null)).toHaveLength(10);
    expect(aggregator.records?.store.labelledTotal('churn')).toBe(10);
    const csv = await (await fetch(`http://127.0.0.1:${aggregator.httpPort}/api/v1/models/churn/records?format=csv&labelled=true`)).text();
    expect(csv.split('\r\n')[0]).toBe('prediction_id,time,version,role,sample_rate,id,plan,tenure,output,label,label_time');
    expect(csv).toContain(',"pro, annual",');
  });
});
