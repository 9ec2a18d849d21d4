import { decodeLogsJson, decodeLogsProtobuf } from '@driftwatch/otlp';
import type { ExportLogsServiceRequest, LogRecord } from '@driftwatch/otlp';
import { afterEach, describe, expect, it } from 'vitest';
import { PROCESS_INSTANCE_ID } from './export-pipeline.js';
import { samplingHash, samplingThreshold } from './key-hash.js';
import { monitor } from './monitor.js';
import type { ExportProtocol, MonitorLogger } from './options.js';
import { startTestReceiver, unusedEndpoint } from './otlp-test-receiver.test-support.js';
import type { ReceivedRequest, ReceiverMode, TestReceiver } from './otlp-test-receiver.test-support.js';
import { VERSION } from './version.js';

const PROTOCOLS: readonly ExportProtocol[] = ['http/protobuf', 'http/json'];
const silent = { info: () => {}, warn: () => {} };

let receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(mode: ReceiverMode = { kind: 'ok' }): Promise<TestReceiver> {
  const r = await startTestReceiver(mode);
  receivers.push(r);
  return r;
}

function decodeLogs(r: ReceivedRequest): ExportLogsServiceRequest {
  return r.contentType.includes('json') ? decodeLogsJson(new TextDecoder().decode(r.body)) : decodeLogsProtobuf(r.body);
}

/** Every log record the receiver got on /v1/logs, with its resource and scope. */
function logRecords(r: TestReceiver): Array<{ record: LogRecord; resource: Record<string, unknown>; scope: { name: string; version: string } }> {
  return r.requests
    .filter((q) => q.path === '/v1/logs')
    .flatMap((q) =>
      decodeLogs(q).resourceLogs.flatMap((rl) =>
        rl.scopeLogs.flatMap((sl) => sl.logRecords.map((record) => ({ record, resource: { ...rl.resource.attributes }, scope: { name: sl.scope.name, version: sl.scope.version } }))),
      ),
    );
}

const byId = (a: { record: LogRecord }, b: { record: LogRecord }): number => String(a.record.attributes['ml.prediction.id']).localeCompare(String(b.record.attributes['ml.prediction.id']));

describe.each(PROTOCOLS)('prediction records over OTLP logs (%s)', (protocol) => {
  it('sends sampled predictions and their labels as ml.model.record / ml.model.label, decoded value by value', async () => {
    const r = await receiver();
    const before = BigInt(Date.now()) * 1_000_000n;
    const predict = monitor((row: { id: string; age: number; plan: string; emb: Float32Array }) => (row.age > 40 ? 0.75 : 0.25), {
      model: 'churn',
      version: '3',
      features: { age: 'numeric', plan: 'categorical' },
      output: 'probability',
      records: { sampleRate: 1 },
      endpoint: r.url,
      protocol,
      exportIntervalMillis: 60_000,
      resource: { 'service.name': 'churn-api' },
      logger: silent,
    });
    expect(predict({ id: 'u1', age: 52, plan: 'pro', emb: new Float32Array([0.5, -1]) })).toBe(0.75);
    expect(predict({ id: 'u2', age: 30.5, plan: 'free', emb: new Float32Array([]) })).toBe(0.25);
    predict.feedback('u1', 1);
    predict.feedback('u2', false);
    predict.feedback('never-predicted', 1); // sampled by its hash (rate 1): the label is sent, the aggregator counts it unmatched
    await predict.shutdown();
    const after = BigInt(Date.now() + 1) * 1_000_000n;

    const all = logRecords(r);
    const records = all.filter((x) => x.record.eventName === 'ml.model.record').sort(byId);
    const labels = all.filter((x) => x.record.eventName === 'ml.model.label').sort(byId);
    expect(records).toHaveLength(2);
    expect(labels).toHaveLength(3);
    for (const x of all) {
      expect(x.resource['service.name']).toBe('churn-api');
      expect(x.resource['service.instance.id']).toBe(PROCESS_INSTANCE_ID);
      expect(x.scope).toEqual({ name: '@driftwatch/instrument', version: VERSION });
      expect(x.record.severityNumber).toBe(9);
      expect(x.record.severityText).toBe('INFO');
      expect(x.record.timeUnixNano).toBeGreaterThanOrEqual(before);
      expect(x.record.timeUnixNano).toBeLessThanOrEqual(after);
      expect(x.record.observedTimeUnixNano).toBeGreaterThanOrEqual(x.record.timeUnixNano - 1_000_000n);
      expect(typeof x.record.body).toBe('string');
    }
    const [u1, u2] = records as [(typeof records)[number], (typeof records)[number]];
    expect({ ...u1.record.attributes }).toEqual({
      'ml.model.name': 'churn',
      'ml.model.version': '3',
      'ml.deployment.role': 'primary',
      'ml.prediction.id': 'u1',
      'ml.record.sample_rate': 1,
    });
    expect(JSON.parse(u1.record.body as string)).toEqual({ features: { id: 'u1', age: 52, plan: 'pro', emb: [0.5, -1] }, output: 0.75 });
    expect(u2.record.attributes['ml.prediction.id']).toBe('u2');
    expect(JSON.parse(u2.record.body as string)).toEqual({ features: { id: 'u2', age: 30.5, plan: 'free', emb: [] }, output: 0.25 });
    // the label comes later than its prediction
    const labelOf = (id: string) => labels.find((l) => l.record.attributes['ml.prediction.id'] === id) as (typeof labels)[number];
    expect({ ...labelOf('u1').record.attributes }).toEqual({ 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.prediction.id': 'u1' });
    expect(labelOf('u1').record.body).toBe('{"label":1}');
    expect(labelOf('u2').record.body).toBe('{"label":false}');
    expect(labelOf('never-predicted').record.body).toBe('{"label":1}');
    expect(labelOf('u1').record.timeUnixNano).toBeGreaterThanOrEqual(u1.record.timeUnixNano);

    expect(predict.health().records).toMatchObject({
      sampleRate: 1,
      predictions: 2,
      labels: 3,
      withoutId: 0,
      dropped: {},
      export: { emitted: 5, queued: 0, exportedRecords: 5, failedRecords: 0, droppedQueueFull: 0, requests: { succeeded: 1, failed: 0 } },
    });
    // the metrics still go to /v1/metrics
    expect(r.requests.filter((q) => q.path === '/v1/metrics')).toHaveLength(1);
  });

  it('samples by a hash of the prediction id: exactly the ids below the threshold, with their labels only; a batch gives one record per row', async () => {
    const r = await receiver();
    const rate = 0.3;
    const predict = monitor((rows: Array<{ id: number; x: number }>) => rows.map((row) => row.x * 2), {
      model: 'm',
      version: 1,
      output: 'regression',
      records: { sampleRate: rate },
      endpoint: r.url,
      protocol,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    for (let i = 0; i < ids.length; i += 50) predict(ids.slice(i, i + 50).map((id) => ({ id, x: id / 4 })));
    for (const id of ids) predict.feedback(id, id / 2);
    predict([{ x: 1 } as { id: number; x: number }]); // no id: never sampled
    await predict.shutdown();

    const expected = ids.filter((id) => samplingHash(String(id)) < samplingThreshold(rate)).map(String).sort();
    expect(expected.length).toBeGreaterThan(250);
    expect(expected.length).toBeLessThan(350);
    const all = logRecords(r);
    const recordIds = all.filter((x) => x.record.eventName === 'ml.model.record').map((x) => String(x.record.attributes['ml.prediction.id']));
    const labelIds = all.filter((x) => x.record.eventName === 'ml.model.label').map((x) => String(x.record.attributes['ml.prediction.id']));
    expect([...recordIds].sort()).toEqual(expected);
    expect([...labelIds].sort()).toEqual(expected);
    for (const x of all.filter((y) => y.record.eventName === 'ml.model.record')) {
      const id = Number(x.record.attributes['ml.prediction.id']);
      expect(JSON.parse(x.record.body as string)).toEqual({ features: { id, x: id / 4 }, output: id / 2 });
      expect(x.record.attributes['ml.record.sample_rate']).toBe(rate);
      expect(x.record.attributes['ml.model.version']).toBe('1');
    }
    expect(predict.health().records).toMatchObject({ predictions: expected.length, labels: expected.length, withoutId: 1 });
  });
});

describe('prediction records: faults never reach the caller', () => {
  function recordingLogger(): MonitorLogger & { warnings: string[] } {
    const warnings: string[] = [];
    return { warnings, info: () => {}, warn: (m) => warnings.push(m) };
  }

  it('a full queue drops and counts records (collector hanging), calls unaffected, shutdown bounded', async () => {
    const r = await receiver({ kind: 'hang' });
    const predict = monitor((row: { id: string }) => row.id.length, {
      model: 'm',
      version: '1',
      output: 'regression',
      records: { sampleRate: 1, maxQueueSize: 10 },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 200,
      logger: silent,
    });
    for (let i = 0; i < 50; i++) expect(predict({ id: `id-${i}` })).toBe(`id-${i}`.length);
    const h = predict.health().records;
    expect(h?.predictions).toBe(10);
    expect(h?.dropped).toEqual({ queue_full: 40 });
    expect(h?.export).toMatchObject({ emitted: 10, queued: 10, droppedQueueFull: 40 });
    const t0 = Date.now();
    await predict.shutdown();
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it.each(['down', '500', '429'] as const)('collector %s: failed record batches are counted and logged, never thrown', async (fault) => {
    const url = fault === 'down' ? await unusedEndpoint() : (await receiver({ kind: 'status', status: Number(fault), retryAfterSeconds: fault === '429' ? 0 : undefined })).url;
    const logger = recordingLogger();
    const predict = monitor((_row: { id: string }) => 0.5, {
      model: 'm',
      version: '1',
      records: { sampleRate: 1 },
      endpoint: url,
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 300,
      logger,
    });
    for (let i = 0; i < 5; i++) expect(predict({ id: `${i}` })).toBe(0.5);
    predict.feedback('1', 1);
    await predict.shutdown();
    const h = predict.health().records;
    expect(h?.export).toMatchObject({ emitted: 6, exportedRecords: 0, failedRecords: 6 });
    expect(h?.export?.requests.failed).toBeGreaterThanOrEqual(1);
    expect(logger.warnings.some((w) => w.includes('prediction records export') && w.includes('failed'))).toBe(true);
  });

  it('unserialisable rows and over-long ids are dropped and counted; sampling off (the default) sends no logs at all', async () => {
    const r = await receiver();
    const predict = monitor((_row: Record<string, unknown>) => 1, {
      model: 'm',
      version: '1',
      output: 'regression',
      features: { x: 'numeric' },
      records: { sampleRate: 1 },
      predictionId: (row) => row['key'] as string,
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    const cyclic: Record<string, unknown> = { key: 'c', x: 1 };
    cyclic['self'] = cyclic;
    predict(cyclic);
    predict({ key: 'k'.repeat(257), x: 1 });
    predict({ key: 'ok', x: 1 });
    await predict.shutdown();
    expect(predict.health().records).toMatchObject({ predictions: 1, dropped: { unserializable: 1, id_too_long: 1 } });

    const r2 = await receiver();
    const off = monitor((_row: { id: string }) => 1, { model: 'm', version: '1', endpoint: r2.url, exportIntervalMillis: 60_000, logger: silent });
    off({ id: 'a' });
    off.feedback('a', 1);
    await off.shutdown();
    expect(off.health().records).toBeUndefined();
    expect(r2.requests.map((q) => q.path)).toEqual(['/v1/metrics']);
  });
});
