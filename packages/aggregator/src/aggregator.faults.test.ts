// Fault cases of the whole aggregator over real HTTP on 127.0.0.1: duplicates and retries, counter resets, delta
// streams, mixed encodings and gzip, the body limit after decompression, malformed and random bodies, a bounded
// queue, partial success, cardinality limits, `__proto__` keys, a seeded mutation fuzz, and the bind/token rules.
// The kill -9 restart runs `driftwatch serve` as a child process: see aggregator.restart.test.ts.
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { decodeExportMetricsResponse, decodeStatus, encodeMetricsJson, encodeMetricsProtobuf } from '@driftwatch/otlp';
import type { ExportMetricsServiceRequest, WireFormat } from '@driftwatch/otlp';
import { ExponentialHistogram } from '@driftwatch/stats';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryForTest } from '../../../test/support/find-binary.js';
import { createAggregator, type Aggregator } from './aggregator.js';
import { DEFAULT_LIMITS } from './config/aggregator-config.js';
import { CONTENT_TYPE, encodeExport, postExport, send, type Reply } from './testing/http-client.test-support.js';
import { attrs, expHistogram, expPoint, numberPoint, request, sum } from './testing/otlp-builders.test-support.js';
import { parsePrometheusText, type PromExposition } from './testing/prometheus-text.test-support.js';
import { runServeToExit, spawnServe } from './testing/serve-process.test-support.js';
import { SimulatedInstance } from './testing/simulated-instance.test-support.js';

const PROMTOOL = binaryForTest(['promtool']);
const MODEL = { name: 'churn', version: '3' } as const;
const NS = 1_000_000n;
const T0 = BigInt(Date.now()) * NS;
/** An export timestamp `s` seconds after T0. */
const at = (s: number): bigint => T0 + BigInt(s) * 1_000_000_000n;

let running: Aggregator[] = [];
afterEach(async () => {
  await Promise.all(running.map((a) => a.stop()));
  running = [];
});

interface Harness {
  readonly agg: Aggregator;
  readonly otlp: string;
  readonly api: string;
  readonly logged: string[];
}

async function startAggregator(input: Record<string, unknown> = {}): Promise<Harness> {
  const logged: string[] = [];
  const agg = createAggregator(
    { otlpPort: 0, httpPort: 0, dataDir: ':memory:', ...input },
    { timers: false, logger: { info: () => {}, warn: (m) => logged.push(`warn: ${m}`), error: (m) => logged.push(`error: ${m}`) } },
  );
  await agg.start();
  running.push(agg);
  return { agg, otlp: `http://127.0.0.1:${agg.otlpPort}`, api: `http://127.0.0.1:${agg.httpPort}`, logged };
}

/** Evaluates now and reads /metrics over HTTP. */
async function scrape(h: Harness): Promise<PromExposition & { text: string }> {
  h.agg.evaluateNow();
  const r = await send(`${h.api}/metrics`, 'GET', undefined);
  expect(r.status).toBe(200);
  const text = r.body.toString('utf8');
  return Object.assign(parsePrometheusText(text), { text });
}

function promtool(text: string): void {
  if (PROMTOOL === undefined) return; // DRIFTWATCH_E2E_REQUIRED=1 makes a missing promtool fail instead
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(`${r.stdout}${r.stderr}`).toBe('');
  expect(r.status).toBe(0);
}

interface ModelId {
  readonly name: string;
  readonly version: string;
}
const predictions = (m: PromExposition, model: ModelId = MODEL): number => m.find('driftwatch_predictions_total', { model: model.name, version: model.version, role: 'primary' })[0]?.value ?? 0;
const samples = (m: PromExposition, feature: string, model: ModelId = MODEL): number =>
  m.find('driftwatch_feature_samples', { model: model.name, version: model.version, feature, window: '1h' })[0]?.value ?? 0;
const counter = (m: PromExposition, name: string, labels: Record<string, string> = {}): number => m.find(name, labels).reduce((a, s) => a + s.value, 0);

function formatOf(r: Reply): WireFormat {
  return r.headers['content-type'] === 'application/json' ? 'json' : 'protobuf';
}

/** A 200 with a full-success ExportMetricsServiceResponse in the request's encoding. */
function expectSuccess(r: Reply, format: WireFormat): void {
  expect(r.status, r.body.toString()).toBe(200);
  expect(r.headers['content-type']).toBe(CONTENT_TYPE[format]);
  expect(decodeExportMetricsResponse(r.body, format)).toBeUndefined();
}

/** A 4xx whose body is a google.rpc.Status in the request's encoding (OTLP/HTTP failure responses). */
function expectStatus(r: Reply, status: number, format: WireFormat, grpcCode: number): string {
  expect(r.status, r.body.toString()).toBe(status);
  expect(r.headers['content-type']).toBe(CONTENT_TYPE[format]);
  const s = decodeStatus(r.body, format);
  expect(s.code).toBe(grpcCode);
  expect(s.message).not.toBe('');
  return s.message;
}

describe('cumulative streams over HTTP', () => {
  it('duplicates and retried exports add nothing', async () => {
    const h = await startAggregator();
    const a = new SimulatedInstance('i-1', MODEL);
    a.record(100, (i) => i);
    const first = a.export(at(10));
    expectSuccess(await postExport(h.otlp, first), 'protobuf');
    expectSuccess(await postExport(h.otlp, first), 'protobuf'); // retried: same bytes
    a.record(50, (i) => 1000 + i);
    const second = a.export(at(20));
    expectSuccess(await postExport(h.otlp, second, 'json'), 'json');
    expectSuccess(await postExport(h.otlp, second, 'json'), 'json'); // duplicated
    expectSuccess(await postExport(h.otlp, first), 'protobuf'); // a late retry of an older export
    const m = await scrape(h);
    expect(predictions(m)).toBe(150);
    expect(samples(m, 'age')).toBe(150);
    expect(samples(m, 'plan')).toBe(150);
    expect(counter(m, 'driftwatch_ingest_resets_total')).toBe(0);
  });

  it('a new start time is a reset: counted, taken whole, never negative', async () => {
    const h = await startAggregator();
    const a = new SimulatedInstance('i-1', MODEL);
    a.record(100, (i) => i);
    expectSuccess(await postExport(h.otlp, a.export(at(10))), 'protobuf');
    a.restart(at(15)); // the model server restarted: totals from zero
    a.record(30, (i) => -i);
    expectSuccess(await postExport(h.otlp, a.export(at(20))), 'protobuf');
    let m = await scrape(h);
    expect(predictions(m)).toBe(130);
    expect(samples(m, 'age')).toBe(130);
    // every stream of the export reset: predictions, the age histogram and the two plan categories
    expect(counter(m, 'driftwatch_ingest_resets_total')).toBe(4);

    // a total that goes down without a new start time is a reset too, never a negative delta
    const down = (value: number, s: number) => request({ 'service.instance.id': 'i-2' }, [sum('ml.model.predictions', [numberPoint({ 'ml.model.name': 'churn', 'ml.model.version': '3' }, value, { start: at(0), time: at(s) })])]);
    expectSuccess(await postExport(h.otlp, down(40, 30)), 'protobuf');
    expectSuccess(await postExport(h.otlp, down(5, 40)), 'protobuf');
    m = await scrape(h);
    expect(predictions(m)).toBe(130 + 40 + 5);
    expect(counter(m, 'driftwatch_ingest_resets_total')).toBe(5);

    // a histogram whose buckets shrink is a reset as well
    const hist = (values: number[], s: number) => {
      const x = new ExponentialHistogram();
      x.recordMany(values);
      return request({ 'service.instance.id': 'i-3' }, [expHistogram('ml.model.feature.value', [expPoint({ 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.feature.name': 'age' }, x, { start: at(0), time: at(s) })])]);
    };
    expectSuccess(await postExport(h.otlp, hist([1, 2, 3], 30)), 'protobuf');
    expectSuccess(await postExport(h.otlp, hist([7], 40)), 'protobuf');
    m = await scrape(h);
    expect(samples(m, 'age')).toBe(130 + 3 + 1);
    expect(counter(m, 'driftwatch_ingest_resets_total')).toBe(6);
  });

  it('delta temporality streams add each point once, retries of older points included', async () => {
    const h = await startAggregator();
    const d = new SimulatedInstance('i-delta', MODEL, 'delta', at(0));
    d.record(40, (i) => i);
    const e1 = d.export(at(10));
    d.record(60, (i) => i);
    const e2 = d.export(at(20));
    expectSuccess(await postExport(h.otlp, e1), 'protobuf');
    expectSuccess(await postExport(h.otlp, e2, 'json'), 'json');
    expectSuccess(await postExport(h.otlp, e2), 'protobuf'); // retried
    expectSuccess(await postExport(h.otlp, e1, 'json', true), 'json'); // a retry of the older export arriving late
    d.record(5, (i) => i);
    expectSuccess(await postExport(h.otlp, d.export(at(30))), 'protobuf');
    const m = await scrape(h);
    expect(predictions(m)).toBe(105);
    expect(samples(m, 'age')).toBe(105);
    expect(samples(m, 'plan')).toBe(105);
  });

  it('one stream sent in mixed encodings, gzipped or not, is one stream', async () => {
    const h = await startAggregator();
    const a = new SimulatedInstance('i-mixed', MODEL);
    const sends: Array<[WireFormat, boolean]> = [
      ['protobuf', false],
      ['json', true],
      ['protobuf', true],
      ['json', false],
    ];
    let s = 10;
    for (const [format, gzip] of sends) {
      a.record(25, (i) => i * s);
      expectSuccess(await postExport(h.otlp, a.export(at(s)), format, gzip), format);
      s += 10;
    }
    const m = await scrape(h);
    expect(predictions(m)).toBe(100);
    expect(samples(m, 'age')).toBe(100);
    expect(counter(m, 'driftwatch_ingest_resets_total')).toBe(0);
    expect(counter(m, 'driftwatch_ingest_requests_total', { signal: 'metrics', status: '200' })).toBe(4);
  });
});

describe('request limits and bad bodies', () => {
  it('the default body limit is 64 MiB', () => {
    expect(DEFAULT_LIMITS.maxBodyBytes).toBe(64 * 1024 * 1024);
    expect(createAggregator({ dataDir: ':memory:' }).config.limits.maxBodyBytes).toBe(64 * 1024 * 1024);
  });

  it('413 when the body is over the limit after decompression, though small on the wire', async () => {
    const limit = 64 * 1024;
    const h = await startAggregator({ limits: { maxBodyBytes: limit } });
    const a = new SimulatedInstance('i-1', MODEL);
    a.record(10, (i) => i);
    const json = encodeMetricsJson(a.export(at(10)));
    const padded = `${json.slice(0, -1)}${' '.repeat(limit)}}`; // valid JSON, one limit of whitespace longer
    const bomb = gzipSync(padded);
    expect(bomb.length).toBeLessThan(limit / 10);
    for (const format of ['json', 'protobuf'] as const) {
      const body = format === 'json' ? bomb : gzipSync(Buffer.concat([encodeMetricsProtobuf(a.export(at(10))), Buffer.alloc(limit)]));
      const r = await send(`${h.otlp}/v1/metrics`, 'POST', body, { 'content-type': CONTENT_TYPE[format], 'content-encoding': 'gzip' });
      expect(expectStatus(r, 413, format, 3)).toContain(`${limit} bytes`);
    }
    // the same export under the limit is accepted, and the 413s added nothing
    expectSuccess(await postExport(h.otlp, a.export(at(10)), 'json', true), 'json');
    const m = await scrape(h);
    expect(predictions(m)).toBe(10);
    expect(counter(m, 'driftwatch_ingest_requests_total', { signal: 'metrics', status: '413' })).toBe(2);
  });

  it('400 with a google.rpc.Status in the request encoding for malformed bodies; 415 for other media types', async () => {
    const h = await startAggregator();
    const valid = encodeMetricsProtobuf(new SimulatedInstance('i-1', MODEL).export(at(1)));
    const cases: Array<[string, WireFormat, Uint8Array | string, Record<string, string>?]> = [
      ['truncated protobuf', 'protobuf', valid.subarray(0, valid.length - 3)],
      ['invalid wire type', 'protobuf', Uint8Array.from([0x0f, 0x01])],
      ['length past the end', 'protobuf', Uint8Array.from([0x0a, 0x7f, 0x01])],
      ['JSON syntax error', 'json', '{"resourceMetrics": ['],
      ['JSON of the wrong shape', 'json', '{"resourceMetrics": 5}'],
      ['JSON that is not an object', 'json', '[1,2,3]'],
      ['JSON with an int64 out of range', 'json', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"ml.model.calls","sum":{"dataPoints":[{"asInt":"99999999999999999999999"}]}}]}]}]}'],
      ['JSON that is not UTF-8', 'json', Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])],
      ['corrupt gzip', 'protobuf', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), { 'content-encoding': 'gzip' }],
    ];
    for (const [what, format, body, extra] of cases) {
      const r = await send(`${h.otlp}/v1/metrics`, 'POST', body, { 'content-type': CONTENT_TYPE[format], ...extra });
      expect(r.status, what).toBe(400);
      expectStatus(r, 400, format, 3);
    }
    const bad = await send(`${h.otlp}/v1/metrics`, 'POST', valid, { 'content-type': 'text/plain' });
    expect(bad.status).toBe(415);
    const m = await scrape(h);
    expect(counter(m, 'driftwatch_ingest_requests_total', { signal: 'metrics', status: '400' })).toBe(cases.length);
    expect(h.logged).toEqual([]);
  });

  it('random bodies get 200 (when they happen to decode) or 400, never a 5xx', async () => {
    const h = await startAggregator();
    let seed = 7;
    const random = (n: number): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % n);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const body = Uint8Array.from({ length: random(512) }, () => random(256));
      const format: WireFormat = i % 2 === 0 ? 'protobuf' : 'json';
      const r = await send(`${h.otlp}/v1/metrics`, 'POST', body, { 'content-type': CONTENT_TYPE[format] });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 400) expectStatus(r, 400, format, 3);
      else expect(r.status).toBe(200);
    }
    expect(statuses.get(400)).toBeGreaterThan(150);
    expect((await send(`${h.api}/healthz`, 'GET', undefined)).status).toBe(200);
    expect(h.logged).toEqual([]);
  });

  it('503 with Retry-After while the bounded ingest queue is full, then serves again', async () => {
    const h = await startAggregator({ limits: { maxQueueDepth: 1 } });
    const a = new SimulatedInstance('i-1', MODEL);
    a.record(10, (i) => i);
    const { body, headers } = encodeExport(a.export(at(10)), 'protobuf');
    // an upload that takes its time holds the only queue slot
    const slow = httpRequest(`${h.otlp}/v1/metrics`, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } });
    const slowReply = new Promise<number>((resolve, reject) => {
      slow.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      slow.on('error', reject);
    });
    slow.write(body.subarray(0, 5));
    await waitFor(() => h.agg.state.counters.queueDepth === 1);
    for (const format of ['protobuf', 'json'] as const) {
      const r = await postExport(h.otlp, a.export(at(10)), format);
      expectStatus(r, 503, format, 14);
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    slow.end(body.subarray(5));
    expect(await slowReply).toBe(200);
    await waitFor(() => h.agg.state.counters.queueDepth === 0);
    a.record(5, (i) => i);
    expectSuccess(await postExport(h.otlp, a.export(at(20))), 'protobuf');
    const m = await scrape(h);
    expect(predictions(m)).toBe(15);
    expect(counter(m, 'driftwatch_ingest_requests_total', { signal: 'metrics', status: '503' })).toBe(2);
  });
});

/** Polls a condition (the server side of a request runs on the same event loop). */
async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('partial success and limits', () => {
  it('200 with partialSuccess.rejectedDataPoints and an errorMessage when some points are rejected', async () => {
    const h = await startAggregator();
    const model = { 'ml.model.name': 'churn', 'ml.model.version': '3' };
    const t = { start: at(0), time: at(10) };
    const req = request({ 'service.instance.id': 'i-1' }, [
      sum('ml.model.predictions', [numberPoint(model, 10, t), numberPoint({ 'ml.model.name': 'churn' }, 5, t), numberPoint({ ...model, 'ml.deployment.role': 'tester' }, 5, t)]),
      sum('ml.model.calls', [numberPoint(model, 2.5, t)]),
      { name: 'ml.model.errors', description: '', unit: '', data: { type: 'gauge', points: [numberPoint(model, 1, t)] } },
      sum('some.other.metric', [numberPoint(model, 1, t)]),
    ]);
    for (const format of ['protobuf', 'json'] as const) {
      const r = await postExport(h.otlp, req, format);
      expect(r.status).toBe(200);
      const partial = decodeExportMetricsResponse(r.body, format);
      expect(partial?.rejectedDataPoints).toBe(4);
      expect(partial?.errorMessage).toMatch(/missing_model/);
      expect(partial?.errorMessage).toMatch(/invalid/);
      expect(partial?.errorMessage).toMatch(/unsupported_type/);
    }
    const m = await scrape(h);
    expect(predictions(m)).toBe(10); // the valid point once (the second send is a duplicate)
    expect(counter(m, 'driftwatch_ingest_points_total', { result: 'rejected', reason: 'missing_model' })).toBe(2);
    expect(counter(m, 'driftwatch_ingest_points_total', { result: 'rejected', reason: 'invalid' })).toBe(4);
    expect(counter(m, 'driftwatch_ingest_points_total', { result: 'rejected', reason: 'unsupported_type' })).toBe(2);
    expect(counter(m, 'driftwatch_ingest_ignored_total')).toBe(2);
  });

  it('the cardinality limits reject and count models, versions and features beyond them', async () => {
    const h = await startAggregator({ limits: { maxModels: 2, maxVersionsPerModel: 2, maxFeaturesPerModel: 3 } });
    const t = { start: at(0), time: at(10) };
    const x = new ExponentialHistogram();
    x.recordMany([1, 2, 3]);
    const req = request({ 'service.instance.id': 'i-1' }, [
      sum('ml.model.predictions', [
        ...['m1', 'm2', 'm3', 'm4'].map((name) => numberPoint({ 'ml.model.name': name, 'ml.model.version': 'v1' }, 1, t)),
        ...['v2', 'v3'].map((version) => numberPoint({ 'ml.model.name': 'm1', 'ml.model.version': version }, 1, t)),
      ]),
      expHistogram(
        'ml.model.feature.value',
        ['f1', 'f2', 'f3', 'f4', 'f5'].map((f) => expPoint({ 'ml.model.name': 'm1', 'ml.model.version': 'v1', 'ml.feature.name': f }, x, t)),
      ),
    ]);
    const r = await postExport(h.otlp, req);
    expect(r.status).toBe(200);
    const partial = decodeExportMetricsResponse(r.body, 'protobuf');
    expect(partial?.rejectedDataPoints).toBe(2 + 1 + 2);
    expect(partial?.errorMessage).toMatch(/cardinality/);
    const m = await scrape(h);
    expect(counter(m, 'driftwatch_cardinality_rejected_total', { kind: 'model' })).toBe(2);
    expect(counter(m, 'driftwatch_cardinality_rejected_total', { kind: 'version' })).toBe(1);
    expect(counter(m, 'driftwatch_cardinality_rejected_total', { kind: 'feature' })).toBe(2);
    expect(counter(m, 'driftwatch_ingest_points_total', { result: 'rejected', reason: 'cardinality' })).toBe(5);
    expect(new Set(m.find('driftwatch_predictions_total').map((s) => s.labels['model']))).toEqual(new Set(['m1', 'm2']));
    expect(new Set(m.find('driftwatch_feature_samples').map((s) => s.labels['feature']))).toEqual(new Set(['f1', 'f2', 'f3']));
    promtool(m.text);
  });

  it('attribute keys and names like __proto__ cannot pollute objects; odd label values are escaped', async () => {
    const h = await startAggregator();
    const t = { start: at(0), time: at(10) };
    const evil = { ...attrs({ 'ml.model.name': '__proto__', 'ml.model.version': 'constructor' }) } as Record<string, string>;
    Object.defineProperty(evil, '__proto__', { value: 'polluted', enumerable: true });
    const x = new ExponentialHistogram();
    x.recordMany([1, 2, 3]);
    const odd = 'a "quoted"\\back\nline';
    const req: ExportMetricsServiceRequest = request({ 'service.instance.id': 'i-1' }, [
      sum('ml.model.predictions', [numberPoint(evil, 3, t)]),
      expHistogram('ml.model.feature.value', [
        expPoint({ ...evil, 'ml.feature.name': '__proto__' }, x, t),
        expPoint({ ...evil, 'ml.feature.name': 'hasOwnProperty' }, x, t),
        expPoint({ ...evil, 'ml.feature.name': odd }, x, t),
      ]),
      sum('ml.model.feature.category', [numberPoint({ ...evil, 'ml.feature.name': 'plan', 'ml.feature.category': '__proto__' }, 3, t)]),
    ]);
    (req.resourceMetrics[0]!.resource.attributes as Record<string, unknown>)['__proto__'] = 'x';
    // the JSON body spells the keys out literally, so JSON.parse-style pollution would show here
    const json = encodeMetricsJson(req).replace('{"key":"__proto__","value":{"stringValue":"x"}}', '{"key":"__proto__","value":{"kvlistValue":{"values":[{"key":"polluted","value":{"boolValue":true}}]}}}');
    expect(json).toContain('"polluted"');
    for (const [format, body] of [
      ['protobuf', encodeMetricsProtobuf(req)],
      ['json', Buffer.from(json)],
    ] as const) {
      const r = await send(`${h.otlp}/v1/metrics`, 'POST', body, { 'content-type': CONTENT_TYPE[format] });
      expectSuccess(r, format);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const m = await scrape(h);
    const model = { name: '__proto__', version: 'constructor' };
    expect(predictions(m, model)).toBe(3 * 2); // the resources differ in their __proto__ attribute: two streams each
    for (const f of ['__proto__', 'hasOwnProperty', odd, 'plan']) expect(samples(m, f, model), f).toBe(6);
    expect(m.text).toContain('feature="a \\"quoted\\"\\\\back\\nline"');
    promtool(m.text);
    expect(h.logged).toEqual([]);
  });
});

describe('mutation fuzz', () => {
  it('answers about 1000 seeded mutated payloads with 200 or 4xx, keeps serving, and /metrics stays valid', async () => {
    const h = await startAggregator({ limits: { maxBodyBytes: 256 * 1024 } });
    const a = new SimulatedInstance('i-fuzz', MODEL);
    a.record(500, (i) => (i % 7) - 3 + i / 100);
    const base = a.export(at(10));
    const proto = encodeMetricsProtobuf(base);
    const json = encodeMetricsJson(base);
    let seed = 20_240_601;
    const random = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const mutateProto = (): Uint8Array => {
      const b = Uint8Array.from(proto);
      for (let k = 1 + random(6); k > 0; k--) b[random(b.length)] = random(256);
      return random(5) === 0 ? b.subarray(0, random(b.length)) : b;
    };
    const TOKENS = ['-1', '0', '1e308', '"x"', 'null', 'true', '[]', '{}', '"__proto__"', '"9007199254740993"', '-0', '1.5', '"NaN"', '"Infinity"', '""'];
    const mutateJson = (): string => {
      let s = json;
      for (let k = 1 + random(4); k > 0; k--) {
        const i = random(s.length);
        const op = random(3);
        if (op === 0) s = s.slice(0, i) + s.slice(i + 1 + random(8)); // delete
        else if (op === 1) s = s.slice(0, i) + (TOKENS[random(TOKENS.length)] as string) + s.slice(i); // insert a token
        else {
          // replace a value after a key with a token
          const j = s.indexOf(':', i);
          if (j > 0) s = `${s.slice(0, j + 1)}${TOKENS[random(TOKENS.length)] as string}${s.slice(s.slice(j + 1).search(/[,}\]]/) + j + 1)}`;
        }
      }
      return s;
    };
    const statuses = new Map<number, number>();
    const BATCHES = 125;
    const PARALLEL = 8;
    for (let batch = 0; batch < BATCHES; batch++) {
      const replies = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => {
          const format: WireFormat = (batch * PARALLEL + i) % 3 === 0 ? 'json' : 'protobuf';
          const gzip = random(4) === 0;
          const raw = format === 'json' ? Buffer.from(mutateJson()) : mutateProto();
          return send(`${h.otlp}/v1/metrics`, 'POST', gzip ? gzipSync(raw) : raw, { 'content-type': CONTENT_TYPE[format], ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
        }),
      );
      for (const r of replies) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status !== 200) {
          expect(r.status, r.body.toString()).toBeGreaterThanOrEqual(400);
          expect(r.status, r.body.toString()).toBeLessThan(500);
          decodeStatus(r.body, formatOf(r));
        }
      }
    }
    expect([...statuses.values()].reduce((x, y) => x + y, 0)).toBe(BATCHES * PARALLEL);
    expect(statuses.get(400)).toBeGreaterThan(300);
    expect(statuses.get(200)).toBeGreaterThan(50); // many mutations still decode and go through ingest
    expect(h.logged.filter((l) => l.startsWith('error'))).toEqual([]);

    // still serving: health, a valid export, an evaluation and a valid exposition
    expect((await send(`${h.api}/healthz`, 'GET', undefined)).status).toBe(200);
    const b = new SimulatedInstance('i-after', { name: 'after', version: '1' });
    b.record(10, (i) => i);
    expectSuccess(await postExport(h.otlp, b.export(at(20))), 'protobuf');
    const m = await scrape(h);
    expect(predictions(m, { name: 'after', version: '1' })).toBe(10);
    promtool(m.text);
    expect(h.agg.state.counters.queueDepth).toBe(0);
  });
});

describe('bind address and tokens', () => {
  it('binds to 127.0.0.1 by default', async () => {
    const serve = await spawnServe(['--data-dir', ':memory:']);
    try {
      expect(serve.output()).toMatch(/listening on 127\.0\.0\.1:/);
      expect(createAggregator({ dataDir: ':memory:' }).config.host).toBe('127.0.0.1');
      expect((await fetch(`${serve.apiUrl}/healthz`)).status).toBe(200);
    } finally {
      await serve.kill('SIGTERM');
    }
  });

  it('refuses a non-loopback address without both tokens, naming the field, before binding', async () => {
    const noTokens = await runServeToExit(['--host', '0.0.0.0', '--data-dir', ':memory:']);
    expect(noTokens.code).toBe(1);
    expect(noTokens.output).toContain('config.ingestToken: required when binding to the non-loopback address "0.0.0.0"');
    const ingestOnly = await runServeToExit(['--host', '0.0.0.0', '--data-dir', ':memory:'], { DRIFTWATCH_INGEST_TOKEN: 'i-secret' });
    expect(ingestOnly.code).toBe(1);
    expect(ingestOnly.output).toContain('config.adminToken: required');
    expect(noTokens.output + ingestOnly.output).not.toMatch(/listening/);
  });

  it('requires the ingest token on /v1/metrics and the admin token on reference uploads when set', async () => {
    const h = await startAggregator({ ingestToken: 'i-secret', adminToken: 'a-secret' });
    const a = new SimulatedInstance('i-1', MODEL);
    a.record(3, (i) => i);
    const req = a.export(at(10));
    for (const auth of [undefined, 'Bearer wrong', 'Bearer a-secret', 'Basic aS1zZWNyZXQ=']) {
      const r = await postExport(h.otlp, req, 'json', false, auth === undefined ? {} : { authorization: auth });
      expectStatus(r, 401, 'json', 16);
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    expectSuccess(await postExport(h.otlp, req, 'protobuf', false, { authorization: 'Bearer i-secret' }), 'protobuf');
    const profile = JSON.stringify({ format: 'driftwatch.reference/v1', model: 'churn', version: '3', createdAt: new Date().toISOString(), source: 'http', rowCount: 0, features: {} });
    for (const auth of [undefined, 'Bearer i-secret']) {
      const r = await send(`${h.api}/api/v1/models/churn/versions/3/reference`, 'PUT', profile, { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) });
      expect(r.status).toBe(401);
    }
    const ok = await send(`${h.api}/api/v1/models/churn/versions/3/reference`, 'PUT', profile, { 'content-type': 'application/json', authorization: 'Bearer a-secret' });
    expect(ok.status, ok.body.toString()).toBe(200);
    expect(predictions(await scrape(h))).toBe(3);
  });
});
