import { decodeMetricsJson, decodeMetricsProtobuf } from '@driftwatch/otlp';
import type { ExponentialHistogramDataPoint, ExportMetricsServiceRequest, HistogramDataPoint, Metric, NumberDataPoint } from '@driftwatch/otlp';
import { ExponentialHistogram } from '@driftwatch/stats';
import { afterEach, describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_BOUNDS_SECONDS } from './latency-histogram.js';
import { monitor } from './monitor.js';
import type { ExportProtocol } from './options.js';
import { startTestReceiver } from './otlp-test-receiver.test-support.js';
import type { ReceivedRequest, TestReceiver } from './otlp-test-receiver.test-support.js';

const PROTOCOLS: readonly ExportProtocol[] = ['http/protobuf', 'http/json'];
const MODEL = { 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.deployment.role': 'primary' };
const silent = { info: () => {}, warn: () => {} };

let receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(): Promise<TestReceiver> {
  const r = await startTestReceiver();
  receivers.push(r);
  return r;
}

function decode(r: ReceivedRequest): ExportMetricsServiceRequest {
  return r.contentType.includes('json') ? decodeMetricsJson(new TextDecoder().decode(r.body)) : decodeMetricsProtobuf(r.body);
}

function metrics(req: ExportMetricsServiceRequest): Metric[] {
  return req.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
}

function metric(req: ExportMetricsServiceRequest, name: string): Metric {
  const found = metrics(req).filter((m) => m.name === name);
  expect(found, `exactly one metric ${name}`).toHaveLength(1);
  return found[0] as Metric;
}

/** Points of a metric, each with its attributes as a plain object. */
function points(req: ExportMetricsServiceRequest, name: string): Array<NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint> {
  const m = metric(req, name);
  if (m.data.type === 'sum' || m.data.type === 'histogram' || m.data.type === 'exponentialHistogram') return m.data.points;
  throw new Error(`unexpected data type ${m.data.type}`);
}

/** The one point whose attributes are exactly the model's plus `extra`. */
function point(req: ExportMetricsServiceRequest, name: string, extra: Record<string, string> = {}, model: Record<string, string> = MODEL) {
  const want = { ...model, ...extra };
  const found = points(req, name).filter((p) => JSON.stringify(sortKeys(p.attributes)) === JSON.stringify(sortKeys(want)));
  expect(found, `${name} ${JSON.stringify(extra)}`).toHaveLength(1);
  return found[0] as NumberDataPoint & HistogramDataPoint & ExponentialHistogramDataPoint;
}

/** Sum values keyed by one attribute (for category counts, confusion cells, …). */
function sumsBy(req: ExportMetricsServiceRequest, name: string, key: string, filter: Record<string, string> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of points(req, name) as NumberDataPoint[]) {
    if (Object.entries(filter).every(([k, v]) => p.attributes[k] === v)) out[String(p.attributes[key])] = p.value;
  }
  return out;
}

function sortKeys(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Asserts a decoded exponential histogram point equals the stats sketch of `values`, field by field. */
function expectHistogramOf(p: ExponentialHistogramDataPoint, values: readonly number[]): void {
  const expected = new ExponentialHistogram();
  for (const v of values) expected.record(v);
  const d = expected.toData();
  expect(p.count).toBe(values.length);
  expect(p.sum).toBe(d.sum);
  expect(p.min).toBe(Math.min(...values));
  expect(p.max).toBe(Math.max(...values));
  expect(p.scale).toBe(d.scale);
  expect(p.zeroCount).toBe(d.zeroCount);
  expect(p.zeroThreshold).toBe(0);
  expect(p.positive).toEqual(d.positive);
  expect(p.negative).toEqual(d.negative);
  const bucketTotal = [...p.positive.bucketCounts, ...p.negative.bucketCounts].reduce((a, b) => a + b, 0) + p.zeroCount;
  expect(bucketTotal).toBe(values.length);
}

const SCORES: Record<string, number> = { a: 0.9, b: 0.2, c: 0.7, d: 0.4, e: 0.6, f: 0.5, g: 0.1 };
const ROWS: Record<string, unknown>[] = [
  { id: 'a', age: -3.5, plan: 'basic', vip: true, emb: [3, 4], note: 'hello' },
  { id: 'b', age: 0, plan: 'pro', vip: false, emb: [0, 0], note: '' },
  { id: 'c', age: 1e-300, plan: 'basic', vip: 1, emb: new Float32Array([1, 2, 2]), note: 'héllo wörld' },
  { id: 'd', age: 1e300, plan: null, vip: 'yes', emb: 'x', note: 42 },
  { id: 'e', age: NaN, vip: true },
  { id: 'f', age: '42' },
  { id: 'g', age: -Infinity },
];

describe.each(PROTOCOLS)('monitor() exporting over OTLP %s', (protocol) => {
  it('sends every feature, output, latency, error, feedback and KPI value, decoded value by value', async () => {
    const r = await receiver();
    const predict = monitor(
      function predict(this: { calls: number }, row: Record<string, unknown>): number {
        this.calls++;
        if (row.id === 'boom1') throw new TypeError('bad input');
        if (row.id === 'boom2') throw new RangeError('out of range');
        if (row.id === 'boom3') throw 'a string';
        return SCORES[row.id as string] as number;
      },
      {
        model: 'churn',
        version: '3',
        features: { age: 'numeric', plan: 'categorical', vip: 'boolean', emb: 'embedding', note: 'text' },
        output: 'probability',
        endpoint: r.url,
        protocol,
        exportIntervalMillis: 60_000,
        resource: { 'service.name': 'churn-api' },
        logger: silent,
      },
    );
    const model = { calls: 0 };
    for (const row of ROWS) expect(predict.call(model, row)).toBe(SCORES[row.id as string]);
    expect(() => predict.call(model, { id: 'boom1', age: 10 })).toThrow(TypeError);
    expect(() => predict.call(model, { id: 'boom2', age: 10 })).toThrow(RangeError);
    expect(() => predict.call(model, { id: 'boom3', age: 10 })).toThrow('a string');
    expect(model.calls).toBe(10);

    predict.feedback('a', 1);
    predict.feedback('b', 1);
    predict.feedback('c', 0);
    predict.feedback('d', false);
    predict.feedback('e', true);
    predict.feedback('zzz', 1);
    predict.kpi('conversion', 1);
    predict.kpi('conversion', 0);
    predict.kpi('conversion', 1);
    predict.kpi('revenue', 19.99);
    predict.kpi('revenue', -5);

    await predict.shutdown();
    expect(r.requests).toHaveLength(1);
    const req0 = r.requests[0] as ReceivedRequest;
    expect(req0.path).toBe('/v1/metrics');
    expect(req0.contentType).toContain(protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
    const req = decode(req0);

    // resource and scope
    expect(req.resourceMetrics).toHaveLength(1);
    const rm = req.resourceMetrics[0]!;
    expect(rm.resource.attributes['service.name']).toBe('churn-api');
    expect(rm.resource.attributes['service.instance.id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(rm.scopeMetrics[0]?.scope.name).toBe('@driftwatch/instrument');

    // every metric is cumulative, sums are monotonic, all points share one start time
    const starts = new Set<bigint>();
    for (const m of metrics(req)) {
      if (m.data.type === 'sum') {
        expect(m.data.temporality).toBe(2);
        expect(m.data.isMonotonic).toBe(true);
      } else if (m.data.type === 'histogram' || m.data.type === 'exponentialHistogram') {
        expect(m.data.temporality).toBe(2);
      } else {
        throw new Error(`unexpected ${m.data.type} metric ${m.name}`);
      }
      for (const p of m.data.points) {
        starts.add(p.startTimeUnixNano);
        expect(p.timeUnixNano).toBeGreaterThan(p.startTimeUnixNano);
      }
    }
    expect(starts.size).toBe(1);

    // calls, predictions, errors
    expect(metric(req, 'ml.model.calls').unit).toBe('{call}');
    expect(point(req, 'ml.model.calls').value).toBe(10);
    expect(point(req, 'ml.model.predictions').value).toBe(7);
    expect(sumsBy(req, 'ml.model.errors', 'error.type')).toEqual({ TypeError: 1, RangeError: 1, _OTHER: 1 });

    // latency: explicit buckets in seconds
    const latency = point(req, 'ml.model.duration');
    expect(metric(req, 'ml.model.duration').unit).toBe('s');
    expect(metric(req, 'ml.model.duration').data.type).toBe('histogram');
    expect(latency.explicitBounds).toEqual(LATENCY_BUCKET_BOUNDS_SECONDS);
    expect(latency.bucketCounts).toHaveLength(LATENCY_BUCKET_BOUNDS_SECONDS.length + 1);
    expect(latency.count).toBe(10);
    expect(latency.bucketCounts.reduce((a, b) => a + b, 0)).toBe(10);
    expect(latency.min).toBeGreaterThanOrEqual(0);
    expect(latency.max).toBeGreaterThanOrEqual(latency.min as number);
    expect(latency.sum).toBeGreaterThanOrEqual(latency.max as number);

    // numeric feature: negative, zero, tiny, huge, plus 3 × 10 from the failed calls
    const age = point(req, 'ml.model.feature.value', { 'ml.feature.name': 'age' });
    expectHistogramOf(age, [-3.5, 0, 1e-300, 1e300, 10, 10, 10]);
    expect(age.negative.bucketCounts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(age.zeroCount).toBe(1);
    expect(sumsBy(req, 'ml.model.feature.missing', 'ml.feature.missing_reason', { 'ml.feature.name': 'age' })).toEqual({ nan: 2, type_mismatch: 1 });

    // embedding → L2 norm, text → length
    expectHistogramOf(point(req, 'ml.model.feature.value', { 'ml.feature.name': 'emb.norm' }), [5, 0, 3]);
    expectHistogramOf(point(req, 'ml.model.feature.value', { 'ml.feature.name': 'note.length' }), [5, 0, 11]);
    expect(sumsBy(req, 'ml.model.feature.missing', 'ml.feature.missing_reason', { 'ml.feature.name': 'emb.norm' })).toEqual({ missing: 6, type_mismatch: 1 });
    expect(sumsBy(req, 'ml.model.feature.missing', 'ml.feature.missing_reason', { 'ml.feature.name': 'note.length' })).toEqual({ missing: 6, type_mismatch: 1 });

    // categorical and boolean
    expect(sumsBy(req, 'ml.model.feature.category', 'ml.feature.category', { 'ml.feature.name': 'plan' })).toEqual({ basic: 2, pro: 1 });
    expect(sumsBy(req, 'ml.model.feature.missing', 'ml.feature.missing_reason', { 'ml.feature.name': 'plan' })).toEqual({ missing: 6, null: 1 });
    expect(sumsBy(req, 'ml.model.feature.category', 'ml.feature.category', { 'ml.feature.name': 'vip' })).toEqual({ true: 3, false: 1 });
    expect(sumsBy(req, 'ml.model.feature.missing', 'ml.feature.missing_reason', { 'ml.feature.name': 'vip' })).toEqual({ missing: 5, type_mismatch: 1 });
    expect(point(req, 'ml.model.feature.category', { 'ml.feature.name': 'plan', 'ml.feature.category': 'basic' }).value).toBe(2);

    // outputs: the score histogram and the thresholded class counts
    expectHistogramOf(point(req, 'ml.model.output.value', { 'ml.output.name': 'score' }), [0.9, 0.2, 0.7, 0.4, 0.6, 0.5, 0.1]);
    expect(sumsBy(req, 'ml.model.output.class', 'ml.output.class')).toEqual({ '1': 4, '0': 3 });

    // feedback: joined labels, the unknown id, confusion matrix, score by true label
    expect(point(req, 'ml.model.feedback.labels').value).toBe(5);
    expect(point(req, 'ml.model.feedback.unmatched', { 'ml.feedback.reason': 'unknown_id' }).value).toBe(1);
    const confusion: Record<string, number> = {};
    for (const p of points(req, 'ml.model.feedback.confusion') as NumberDataPoint[]) {
      confusion[`${String(p.attributes['ml.label.actual'])}/${String(p.attributes['ml.label.predicted'])}`] = p.value;
    }
    expect(confusion).toEqual({ '1/1': 2, '1/0': 1, '0/1': 1, '0/0': 1 });
    expectHistogramOf(point(req, 'ml.model.feedback.score', { 'ml.label.actual': '1' }), [0.9, 0.2, 0.6]);
    expectHistogramOf(point(req, 'ml.model.feedback.score', { 'ml.label.actual': '0' }), [0.7, 0.4]);
    expect(metrics(req).some((m) => m.name === 'ml.model.feedback.evictions')).toBe(false);

    // KPIs: running total, events, value distribution (a refund is negative)
    expect(point(req, 'ml.model.kpi', { 'ml.kpi.name': 'conversion' }).value).toBe(2);
    expect(point(req, 'ml.model.kpi.events', { 'ml.kpi.name': 'conversion' }).value).toBe(3);
    expect(point(req, 'ml.model.kpi', { 'ml.kpi.name': 'revenue' }).value).toBeCloseTo(14.99, 12);
    expect(point(req, 'ml.model.kpi.events', { 'ml.kpi.name': 'revenue' }).value).toBe(2);
    expectHistogramOf(point(req, 'ml.model.kpi.value', { 'ml.kpi.name': 'revenue' }), [19.99, -5]);
    expectHistogramOf(point(req, 'ml.model.kpi.value', { 'ml.kpi.name': 'conversion' }), [1, 0, 1]);

    expect(predict.health()).toMatchObject({ calls: 10, predictions: 7, drops: {}, export: { succeeded: 1, failed: 0 } });
  });

  it('records async batch calls (N rows → N predictions) with an inferred schema and regression feedback', async () => {
    const r = await receiver();
    const predict = monitor(
      async (rows: Array<{ id: number; x: number; city: string }>): Promise<number[]> => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return rows.map((row) => row.x * 2);
      },
      { model: 'price', version: '1', endpoint: r.url, protocol, exportIntervalMillis: 60_000, logger: silent },
    );
    const first = predict([
      { id: 1, x: -2, city: 'Oslo' },
      { id: 2, x: 0.5, city: 'Rome' },
    ]);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual([-4, 1]);
    expect(await predict([{ id: 3, x: 10, city: 'Oslo' }])).toEqual([20]);
    predict.feedback(1, -3); // |−4 − (−3)| = 1
    predict.feedback(2, 1); // 0
    predict.feedback(3, 17); // 3
    predict.feedback(3, 17); // already joined → unknown id
    await predict.shutdown();

    const price = { 'ml.model.name': 'price', 'ml.model.version': '1', 'ml.deployment.role': 'primary' };
    expect(r.requests).toHaveLength(1);
    const req = decode(r.requests[0] as ReceivedRequest);
    expect(point(req, 'ml.model.calls', {}, price).value).toBe(2);
    expect(point(req, 'ml.model.predictions', {}, price).value).toBe(3);
    // schema inferred from the first call: x numeric, city categorical, `id` is not a feature
    expect((points(req, 'ml.model.feature.value') as ExponentialHistogramDataPoint[]).map((p) => p.attributes['ml.feature.name'])).toEqual(['x']);
    expectHistogramOf(point(req, 'ml.model.feature.value', { 'ml.feature.name': 'x' }, price), [-2, 0.5, 10]);
    expect(sumsBy(req, 'ml.model.feature.category', 'ml.feature.category', { 'ml.feature.name': 'city' })).toEqual({ Oslo: 2, Rome: 1 });
    // output kind inferred as regression (first value −4 is outside [0, 1])
    expectHistogramOf(point(req, 'ml.model.output.value', { 'ml.output.name': 'value' }, price), [-4, 1, 20]);
    expectHistogramOf(point(req, 'ml.model.feedback.absolute_error', {}, price), [1, 0, 3]);
    expect(point(req, 'ml.model.feedback.squared_error', {}, price).value).toBe(1 + 0 + 9);
    expect(point(req, 'ml.model.feedback.labels', {}, price).value).toBe(3);
    expect(point(req, 'ml.model.feedback.unmatched', { 'ml.feedback.reason': 'unknown_id' }, price).value).toBe(1);
    expect(point(req, 'ml.model.duration', {}, price).count).toBe(2);
  });

  it('exports periodically with cumulative values and a stable start time', async () => {
    const r = await receiver();
    const predict = monitor((row: { v: number }) => row.v, {
      model: 'm',
      version: '1',
      features: { v: 'numeric' },
      output: 'regression',
      endpoint: r.url,
      protocol,
      exportIntervalMillis: 50,
      logger: silent,
    });
    const m = { 'ml.model.name': 'm', 'ml.model.version': '1', 'ml.deployment.role': 'primary' };
    predict({ v: 1 });
    predict({ v: -1 });
    await r.waitForRequests(1);
    const firstCount = r.requests.length;
    predict({ v: 4 });
    await r.waitForRequests(firstCount + 1);
    await predict.shutdown();
    const first = decode(r.requests[0] as ReceivedRequest);
    const last = decode(r.requests[r.requests.length - 1] as ReceivedRequest);
    expect(point(first, 'ml.model.calls', {}, m).value).toBe(2);
    expectHistogramOf(point(first, 'ml.model.feature.value', { 'ml.feature.name': 'v' }, m), [1, -1]);
    expect(point(last, 'ml.model.calls', {}, m).value).toBe(3);
    expectHistogramOf(point(last, 'ml.model.feature.value', { 'ml.feature.name': 'v' }, m), [1, -1, 4]);
    expect(point(last, 'ml.model.calls', {}, m).startTimeUnixNano).toBe(point(first, 'ml.model.calls', {}, m).startTimeUnixNano);
    expect(point(last, 'ml.model.calls', {}, m).timeUnixNano).toBeGreaterThan(point(first, 'ml.model.calls', {}, m).timeUnixNano);
  });

  it('sends a primary and a canary with the same export options in one request, told apart by ml.deployment.role', async () => {
    const r = await receiver();
    const common = { model: 'churn', features: { x: 'numeric' }, output: 'class', endpoint: r.url, protocol, exportIntervalMillis: 60_000, logger: silent } as const;
    const primary = monitor((row: { x: number }) => (row.x > 0 ? 'yes' : 'no'), { ...common, version: '3' });
    const canary = monitor((row: { x: number }) => (row.x > 1 ? 'yes' : 'no'), { ...common, version: '4', role: 'canary' });
    primary({ x: 1 });
    canary({ x: 1 });
    canary({ x: 2 });
    await primary.shutdown(); // flushes both (shared pipeline), the canary stays attached
    canary({ x: 3 });
    await canary.shutdown();
    expect(r.requests).toHaveLength(2);
    const both = decode(r.requests[0] as ReceivedRequest);
    const canaryAttrs = { 'ml.model.name': 'churn', 'ml.model.version': '4', 'ml.deployment.role': 'canary' };
    expect(point(both, 'ml.model.calls').value).toBe(1);
    expect(point(both, 'ml.model.calls', {}, canaryAttrs).value).toBe(2);
    expect(sumsBy(both, 'ml.model.output.class', 'ml.output.class', { 'ml.deployment.role': 'canary' })).toEqual({ no: 1, yes: 1 });
    expect(sumsBy(both, 'ml.model.output.class', 'ml.output.class', { 'ml.deployment.role': 'primary' })).toEqual({ yes: 1 });
    const last = decode(r.requests[1] as ReceivedRequest);
    expect(point(last, 'ml.model.calls', {}, canaryAttrs).value).toBe(3);
    expect(points(last, 'ml.model.calls')).toHaveLength(1); // the primary left after its final export
    primary({ x: 5 }); // still callable after shutdown, just not monitored
    expect(primary.health()).toMatchObject({ active: false, calls: 1 });
  });
});
