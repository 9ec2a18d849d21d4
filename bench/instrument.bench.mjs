// @driftwatch/instrument: per-prediction cost of monitor() against a bare call, naive OTel and prom-client,
// and heap per monitored model. Run: `npx tsc --build && node --expose-gc bench/instrument.bench.mjs`
// (or `npm run bench instrument`).
import { randomUUID } from 'node:crypto';
import { metrics as otelMetrics } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import client from 'prom-client';
import { monitor } from '../packages/instrument/dist/index.js';
import { atFastestMachineCheck, consume, formatNs, report, runCases } from './harness.mjs';

void otelMetrics;
const NUMERIC = 20;
const CATEGORICAL = 5;
const ROWS = 1024;
// nothing listens on port 9 (discard) and the interval is an hour: exports never happen during the run
const UNREACHABLE = 'http://127.0.0.1:9';
const silent = { info() {}, warn() {} };

const numericNames = Array.from({ length: NUMERIC }, (_, i) => `num_${i}`);
const categoricalNames = Array.from({ length: CATEGORICAL }, (_, i) => `cat_${i}`);
const plans = ['free', 'basic', 'pro', 'team', 'enterprise', 'edu', 'trial', 'legacy'];

/**
 * Deterministic pseudo-random rows: numeric values of mixed sign and magnitude, categories from small sets.
 * Built by assignment, 25+ properties each, so V8 keeps them in dictionary mode (as rows a `row[column] = value`
 * loop builds): every feature read is a hash lookup. (g)/(h) measure rows from JSON.parse (fast properties).
 */
function makeRows(count, numeric, categorical) {
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => {
    const row = {};
    for (const name of numeric) row[name] = (random() - 0.3) * 10 ** Math.floor(random() * 6 - 2);
    for (const name of categorical) row[name] = plans[Math.floor(random() * plans.length)];
    return row;
  });
}
const rows = makeRows(ROWS, numericNames, categoricalNames);

function model(row) {
  return row.num_0 * 0.25 + row.num_1 * 0.5;
}

const schema = Object.fromEntries([...numericNames.map((n) => [n, 'numeric']), ...categoricalNames.map((n) => [n, 'categorical'])]);
/** The options every timed monitor shares (nothing reaches the collector during the run), with `extra` on top. */
const benchOptions = (name, extra = {}) => ({
  model: name,
  version: '1',
  features: schema,
  output: 'regression',
  endpoint: UNREACHABLE,
  exportIntervalMillis: 3_600_000,
  logger: silent,
  ...extra,
});
const monitored = monitor(model, benchOptions('bench'));

// (e) monitor() sampling full prediction records (1 %, by id) as OTLP logs; the queue is sized so that nothing is
// dropped during the run (the bench loop is synchronous: OTel's batch processor only exports between runs)
// built like `rows` (a spread would give fast-property rows, cheaper to read than (b)'s, and (e)/(f) would come out
// cheaper than (b))
const rowsWithId = rows.map((row, i) => {
  const withId = {};
  for (const key of Object.keys(row)) withId[key] = row[key];
  withId.id = `p-${i}`;
  return withId;
});
const jsonRows = rows.map((row) => JSON.parse(JSON.stringify(row)));
const recording = monitor(model, benchOptions('bench-records', { records: { sampleRate: 0.01, maxQueueSize: 1_000_000 } }));

// (f) monitor() with a canary at 10 %, routed by a hash of the row's id (fixed weight: no rollout polling)
const candidate = (row) => row.num_0 * 0.2 + row.num_1 * 0.6;
const withCanary = monitor(model, benchOptions('bench-canary', { canary: { model: candidate, key: (row) => row.id, weight: 0.1, version: '2', followRollout: false } }));

// (g)/(h): the same on rows from JSON.parse, with their own function and monitor (sharing (a)/(b)'s would make
// their property reads see two row shapes)
const jsonModel = (row) => row.num_0 * 0.25 + row.num_1 * 0.5;
const jsonMonitored = monitor(jsonModel, benchOptions('bench-json'));

// (c) the naive OTel way: one Histogram.record / Counter.add per feature value with attributes
const provider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${UNREACHABLE}/v1/metrics` }),
      exportIntervalMillis: 3_600_000,
    }),
  ],
});
const meter = provider.getMeter('bench');
const otelHistogram = meter.createHistogram('ml.model.feature.value');
const otelCounter = meter.createCounter('ml.model.feature.category');
const otelLatency = meter.createHistogram('ml.model.duration', { unit: 's' });
const base = { 'ml.model.name': 'bench', 'ml.model.version': '1' };
const numericAttributes = numericNames.map((n) => ({ ...base, 'ml.feature.name': n }));
function naiveOtel(row) {
  const t0 = performance.now();
  const y = model(row);
  otelLatency.record((performance.now() - t0) / 1000, base);
  for (let i = 0; i < NUMERIC; i++) otelHistogram.record(row[numericNames[i]], numericAttributes[i]);
  for (let i = 0; i < CATEGORICAL; i++) {
    const name = categoricalNames[i];
    otelCounter.add(1, { ...base, 'ml.feature.name': name, 'ml.feature.category': row[name] });
  }
  return y;
}

// (d) prom-client: one observe / inc per feature value (children looked up by label values)
const registry = new client.Registry();
const promHistogram = new client.Histogram({ name: 'feature_value', help: 'x', labelNames: ['feature'], registers: [registry] });
const promCounter = new client.Counter({ name: 'feature_category', help: 'x', labelNames: ['feature', 'category'], registers: [registry] });
const promLatency = new client.Histogram({ name: 'duration_seconds', help: 'x', registers: [registry] });
const promChildren = numericNames.map((n) => promHistogram.labels(n));
function promClient(row) {
  const t0 = performance.now();
  const y = model(row);
  promLatency.observe((performance.now() - t0) / 1000);
  for (let i = 0; i < NUMERIC; i++) promChildren[i].observe(row[numericNames[i]]);
  for (let i = 0; i < CATEGORICAL; i++) promCounter.labels(categoricalNames[i], row[categoricalNames[i]]).inc();
  return y;
}

const loop = (fn, source = rows) => (n) => {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += fn(source[i & (ROWS - 1)]);
  consume(acc);
};

const results = runCases(
  [
    { name: '(a) bare call', run: loop(model) },
    { name: '(b) monitor()', run: loop(monitored) },
    { name: '(c) naive OTel Histogram.record per feature', run: loop(naiveOtel) },
    { name: '(d) prom-client observe per feature', run: loop(promClient) },
    { name: '(e) monitor() + records sampled at 1 %', run: loop(recording, rowsWithId) },
    { name: '(f) monitor() + canary at 10 %', run: loop(withCanary, rowsWithId) },
    { name: '(g) bare call, rows from JSON.parse', run: loop(jsonModel, jsonRows) },
    { name: '(h) monitor(), rows from JSON.parse', run: loop(jsonMonitored, jsonRows) },
  ],
  { rounds: 9, minRoundMillis: 200 },
);
const [bare, mon, otel, prom, rec, can, jsonBare, jsonMon] = results.map((r) => r.nsPerIteration);
report(`instrument: one prediction with ${NUMERIC} numeric + ${CATEGORICAL} categorical features`, results, {
  goals: { '(b) monitor()': 'overhead ≤ 1.5 µs', '(c) naive OTel Histogram.record per feature': '≥ 30× the cost of (b)' },
});
const overhead = mon - bare;
const overheadAtFastest = atFastestMachineCheck(results[1]) - atFastestMachineCheck(results[0]);
console.log(
  `\nmonitor() overhead over the bare call: ${formatNs(overhead)} per prediction (goal ≤ 1.50 µs) → ${overhead <= 1500 ? 'met' : 'MISSED'}; ` +
    `${formatNs(overheadAtFastest)} had the run gone at its fastest machine check (${formatNs(results[1].machineCheckRangeNs[0])}) → ${overheadAtFastest <= 1500 ? 'met' : 'MISSED'}`,
);
console.log(`naive OTel / monitor(): ${(otel / mon).toFixed(1)}× per call, ${((otel - bare) / overhead).toFixed(1)}× on overhead alone (goal ≥ 30×) → ${(otel - bare) / overhead >= 30 ? 'met' : 'MISSED'}`);
console.log(`prom-client / monitor(): ${(prom / mon).toFixed(1)}× per call, ${((prom - bare) / overhead).toFixed(1)}× on overhead alone`);
console.log(`records at 1 % add ${formatNs(rec - mon)} per prediction on average over monitor() (${recording.health().records.predictions} records queued, ${JSON.stringify(recording.health().records.dropped)} dropped)`);
console.log(`a canary at 10 % adds ${formatNs(can - mon)} per prediction over monitor() (key hash; ${withCanary.health().canary.calls} canary calls)`);
console.log(`on rows from JSON.parse (fast properties) monitor() adds ${formatNs(jsonMon - jsonBare)} per prediction (dictionary-mode rows: ${formatNs(overhead)})`);
await Promise.all([monitored.shutdown(), recording.shutdown(), withCanary.shutdown(), jsonMonitored.shutdown()]);
await provider.shutdown().catch(() => {});

// Heap per monitored model with 100 features (80 numeric + 20 categorical), after a warm-up that fills the sketches.
// The first monitor also creates the shared OTel pipeline; further models with the same export options join it,
// so the delta over N further models is the per-model state.
if (typeof globalThis.gc !== 'function') {
  console.log('\n(heap figures skipped: run node with --expose-gc)');
} else {
  const wideNumeric = Array.from({ length: 80 }, (_, i) => `n${i}`);
  const wideCategorical = Array.from({ length: 20 }, (_, i) => `c${i}`);
  const wideSchema = Object.fromEntries([...wideNumeric.map((n) => [n, 'numeric']), ...wideCategorical.map((n) => [n, 'categorical'])]);
  // categories with many distinct values, so every categorical sketch fills its 50 exact slots and its tail
  const categoryValues = Array.from({ length: 5000 }, (_, i) => `value-${i}`);
  let k = 0;
  const wideRows = makeRows(2048, wideNumeric, []).map((row) => {
    for (const c of wideCategorical) row[c] = categoryValues[k++ % categoryValues.length];
    return row;
  });
  const MODELS = 10;
  const wideModel = (row) => row.n0 * 0.25 + row.n1 * 0.5;
  const heap = async () => {
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    // typed-array backing stores (the histograms' bucket arrays) live outside the JS heap: count them too
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const wideOptions = (name) => ({ model: name, version: '1', features: wideSchema, output: 'regression', endpoint: UNREACHABLE, exportIntervalMillis: 3_600_000, logger: silent });
  const exercise = (p) => {
    for (let r = 0; r < 20_000; r++) p(wideRows[r & 2047]);
  };
  const h0 = await heap();
  const first = monitor(wideModel, wideOptions('wide-first'));
  exercise(first);
  const h1 = await heap();
  const monitors = [];
  for (let m = 0; m < MODELS; m++) {
    const p = monitor(wideModel, wideOptions(`wide-${m}`));
    exercise(p);
    monitors.push(p);
  }
  const h2 = await heap();
  const perModel = (h2 - h1) / MODELS;
  // the same models when every prediction carries an id (a UUID, as request ids usually are): the feedback join map
  // then holds its default maximum of 10 000 predictions awaiting a label
  const joined = [];
  for (let m = 0; m < MODELS; m++) {
    const p = monitor(wideModel, { ...wideOptions(`wide-ids-${m}`), predictionId: () => randomUUID() });
    exercise(p);
    joined.push(p);
  }
  const h3 = await heap();
  const perJoinedModel = (h3 - h2) / MODELS;
  // the workload must be what it claims: outputs recorded (none dropped) and the join map full
  const { pendingPredictions, drops } = joined[0].health();
  if (pendingPredictions !== 10_000 || Object.keys(drops).length > 0) {
    throw new Error(`instrument bench: expected 10 000 predictions awaiting a label and no drops, got ${pendingPredictions} and ${JSON.stringify(drops)}`);
  }
  console.log(`\n## instrument: heap per monitored model (100 features: 80 numeric + 20 categorical with 5000 distinct values, after 20 000 calls)`);
  console.log(`| measure | heap + array buffers | goal |\n|---|---|---|`);
  console.log(`| first model, including the shared OTel pipeline | ${((h1 - h0) / 1024).toFixed(1)} KiB | |`);
  console.log(`| each further model (mean of ${MODELS}) | ${(perModel / 1024).toFixed(1)} KiB | ≤ 1024 KiB → ${perModel <= 1024 * 1024 ? 'met' : 'MISSED'} |`);
  console.log(
    `| each further model with prediction ids, 10 000 awaiting a label (mean of ${MODELS}) | ${(perJoinedModel / 1024).toFixed(1)} KiB | ≤ 1024 KiB → ${perJoinedModel <= 1024 * 1024 ? 'met' : 'MISSED'} |`,
  );
  consume(monitors.length + joined.length);
  await Promise.all([first, ...monitors, ...joined].map((p) => p.shutdown()));
}
