// @driftwatch/aggregator benchmarks, against the built packages.
// Run: `npx tsc --build && node --expose-gc bench/run.mjs aggregator` (or `npm run bench aggregator`).
//
// 1. OTLP protobuf ingest (decode + cumulative→delta + merge into the windows), in data points per second on one
//    core, from 1000 simulated instances exporting 160-bucket exponential histograms (goal ≥ 200 000 points/s);
//    baseline: decoding the same bodies only.
// 2. One full evaluation of 15 models × 200 features, both default windows (goal ≤ 100 ms); baseline: reading the
//    same windows (snapshots) without any drift test.
// 3. Steady-state memory per feature series, windows full after 24 h of traffic (goal ≤ 8 KiB).
import { AggregatorState, evaluate, ingestMetrics, resolveConfig } from '@driftwatch/aggregator';
import { decodeMetricsProtobuf, encodeMetricsProtobuf } from '@driftwatch/otlp';
import { ExponentialHistogram, buildReferenceProfile } from '@driftwatch/stats';
import { atFastestMachineCheck, consume, formatNs, report, runCases } from './harness.mjs';

/** Deterministic pseudo-random numbers in [0, 1). */
function seeded(seed) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
function normal(random) {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
const A = (o) => Object.assign(Object.create(null), o);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** A clock on an hour boundary, so slices line up with real deployments. */
const T0 = Math.floor(Date.now() / HOUR) * HOUR;
const ns = (ms) => BigInt(ms) * 1_000_000n;

function expPoint(attributes, d, startMs, timeMs) {
  return {
    attributes: A(attributes),
    startTimeUnixNano: ns(startMs),
    timeUnixNano: ns(timeMs),
    count: d.count,
    sum: d.sum,
    scale: d.scale,
    zeroCount: d.zeroCount,
    zeroThreshold: d.zeroThreshold,
    positive: d.positive,
    negative: d.negative,
    min: d.min,
    max: d.max,
    flags: 0,
  };
}
function exportRequest(instanceId, points, temporality) {
  return {
    resourceMetrics: [
      {
        resource: { attributes: A({ 'service.name': 'model-server', 'service.instance.id': instanceId }) },
        scopeMetrics: [
          {
            scope: { name: '@driftwatch/instrument', version: '0.1.0', attributes: A({}) },
            metrics: [{ name: 'ml.model.feature.value', description: '', unit: '1', data: { type: 'exponentialHistogram', temporality, points } }],
          },
        ],
      },
    ],
  };
}
/** `d` with every count multiplied by `k` (the cumulative point after k equal intervals). */
function times(d, k) {
  return {
    ...d,
    count: d.count * k,
    sum: d.sum * k,
    zeroCount: d.zeroCount * k,
    positive: { offset: d.positive.offset, bucketCounts: d.positive.bucketCounts.map((c) => c * k) },
    negative: { offset: d.negative.offset, bucketCounts: d.negative.bucketCounts.map((c) => c * k) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// 1. ingest
const INSTANCES = 1000;
const INGEST_MODELS = 15;
const FEATURES_PER_INSTANCE = 5;
const POINTS_PER_ROUND = INSTANCES * FEATURES_PER_INSTANCE;
const EXPORT_INTERVAL_MS = 10_000;

/** Per feature, what one instance records in one export interval: 500 lognormal values over 160 buckets. */
const intervalData = Array.from({ length: FEATURES_PER_INSTANCE }, (_, f) => {
  const r = seeded(100 + f);
  const n = normal(r);
  const h = new ExponentialHistogram();
  for (let i = 0; i < 500; i++) h.record(Math.exp(1.2 * n()) * (f + 1));
  for (let b = 0; b < 160; b++) h.record(2 ** ((b / 160) * 6 - 2) * (f + 1)); // every bucket of the 160 holds values
  return h.toData();
});
const bucketsPerPoint = intervalData[0].positive.bucketCounts.length + intervalData[0].negative.bucketCounts.length;

/** Encoded bodies of export round `k` (k ≥ 1) of every instance: cumulative points after k intervals. */
const rounds = [];
function round(k) {
  while (rounds.length <= k) {
    const j = rounds.length;
    rounds.push(
      Array.from({ length: INSTANCES }, (_, i) => {
        const model = { 'ml.model.name': `model-${i % INGEST_MODELS}`, 'ml.model.version': '1' };
        const points = intervalData.map((d, f) => expPoint({ ...model, 'ml.feature.name': `f${f}` }, times(d, j + 1), T0, T0 + (j + 1) * EXPORT_INTERVAL_MS));
        return encodeMetricsProtobuf(exportRequest(`instance-${i}`, points, 2));
      }),
    );
  }
  return rounds[k];
}
const PREPARED_ROUNDS = 24;
for (let k = 0; k < PREPARED_ROUNDS; k++) round(k);
const bodyBytes = rounds[1].reduce((n, b) => n + b.length, 0) / INSTANCES;

const ingestConfig = resolveConfig({ dataDir: ':memory:' });
const ingestState = new AggregatorState(ingestConfig);
const ingestNow = T0 + 30 * MINUTE;
// round 0 creates the streams and series (each instance's first point is taken whole); the timed rounds are steady state
for (const body of round(0)) ingestMetrics(ingestState, decodeMetricsProtobuf(body), ingestNow);
let ingestCursor = 1;
let decodeCursor = 1;

const ingestResults = runCases(
  [
    {
      name: 'decode only (decodeMetricsProtobuf)',
      opsPerIteration: POINTS_PER_ROUND,
      run(n) {
        let acc = 0;
        for (let k = 0; k < n; k++) {
          const bodies = round(1 + (decodeCursor++ % (PREPARED_ROUNDS - 1)));
          for (const body of bodies) acc += decodeMetricsProtobuf(body).resourceMetrics.length;
        }
        consume(acc);
      },
    },
    {
      name: 'decode + ingest (cumulative→delta, merge into windows)',
      opsPerIteration: POINTS_PER_ROUND,
      run(n) {
        let acc = 0;
        for (let k = 0; k < n; k++) {
          const bodies = round(ingestCursor++); // always the next cumulative round: never a duplicate
          for (const body of bodies) acc += ingestMetrics(ingestState, decodeMetricsProtobuf(body), ingestNow).accepted;
        }
        consume(acc);
      },
    },
  ],
  { rounds: 5, minRoundMillis: 100 },
);
report(`aggregator: OTLP protobuf ingest, ${INSTANCES} instances × ${FEATURES_PER_INSTANCE} exponential-histogram points of ${bucketsPerPoint} buckets (maxSize 160) (${(bodyBytes / 1024).toFixed(1)} KiB a body; per iteration: one export round, per op: one data point)`, ingestResults, {
  goals: { 'decode + ingest (cumulative→delta, merge into windows)': '≥ 200 000 points/s' },
});
const ingestNsPerPoint = ingestResults[1].nsPerIteration / POINTS_PER_ROUND;
const pointsPerSecond = 1e9 / ingestNsPerPoint;
const pointsPerSecondAtFastest = (1e9 * POINTS_PER_ROUND) / atFastestMachineCheck(ingestResults[1]);
const accepted = ingestState.counters.points.get('accepted|ok') ?? 0;
console.log(
  `\ningest: ${Math.round(pointsPerSecond).toLocaleString('en-US')} points/s on one core (goal ≥ 200,000) → ${pointsPerSecond >= 200_000 ? 'met' : 'MISSED'}; ` +
    `${ingestState.streams.size} cumulative streams, ${accepted} points accepted, ${ingestCursor - 1} rounds ingested` +
    (ingestCursor > PREPARED_ROUNDS ? ` (${ingestCursor - PREPARED_ROUNDS} rounds encoded inside the timing)` : '') +
    `; ${Math.round(pointsPerSecondAtFastest).toLocaleString('en-US')} points/s had the run gone at its fastest machine check (${formatNs(ingestResults[1].machineCheckRangeNs[0])}) → ${pointsPerSecondAtFastest >= 200_000 ? 'met' : 'MISSED'}`,
);
rounds.length = 0;

// ---------------------------------------------------------------------------------------------------------------
// 2. one full evaluation: 15 models × 200 numeric features, each with a reference profile, in both default windows
const EVAL_MODELS = 15;
const EVAL_FEATURES = 200;
const REFERENCE_ROWS = 2000;
const WINDOW_VALUES = 500;
const featureNames = Array.from({ length: EVAL_FEATURES }, (_, i) => `feature_${i}`);

/** One reference profile's features (built once from 2000 rows, reused by every model). */
const referenceFeatures = (() => {
  const r = seeded(7);
  const n = normal(r);
  const rows = Array.from({ length: REFERENCE_ROWS }, () => Object.fromEntries(featureNames.map((f, i) => [f, 50 + (5 + (i % 20)) * n()])));
  return buildReferenceProfile(rows, Object.fromEntries(featureNames.map((f) => [f, 'numeric'])), { model: 'm', version: '1' }).features;
})();
/** Window data per feature: what an interval brings (shifted a little from the reference). */
const windowData = featureNames.map((_, i) => {
  const r = seeded(1000 + i);
  const n = normal(r);
  const h = new ExponentialHistogram();
  for (let k = 0; k < WINDOW_VALUES; k++) h.record(50 + (i % 3) + (5 + (i % 20)) * 1.05 * n());
  return h.toData();
});

/**
 * Feeds every feature of every model through ingest as delta points — hourly for the 23 h before `nowMs`, then every
 * 5 minutes in the last hour — so both windows hold closed slices, running merges and an open slice, as in steady state.
 */
function fillWindows(state, models, features, nowMs) {
  const times = [];
  for (let h = 23; h >= 1; h--) times.push(nowMs - h * HOUR);
  for (let m = 55; m >= 0; m -= 5) times.push(nowMs - m * MINUTE);
  let previous = times[0] - 1;
  for (const t of times) {
    for (const model of models) {
      const points = features.map((f, i) => expPoint({ 'ml.model.name': model, 'ml.model.version': '1', 'ml.feature.name': f }, windowData[i % windowData.length], previous, t));
      ingestMetrics(state, exportRequest('bench', points, 1), t);
    }
    previous = t;
  }
}

const evalNow = T0 + 10 * MINUTE + 1;
const evalState = new AggregatorState(resolveConfig({ dataDir: ':memory:' }));
const evalModels = Array.from({ length: EVAL_MODELS }, (_, i) => `model-${i}`);
for (const model of evalModels) {
  evalState.setReference({ format: 'driftwatch.reference/v1', model, version: '1', createdAt: new Date(T0).toISOString(), source: 'file', rowCount: REFERENCE_ROWS, features: referenceFeatures }, evalNow);
}
fillWindows(evalState, evalModels, featureNames, evalNow);
const first = evaluate(evalState, evalNow);
const evaluatedFeatures = first.models.reduce((n, m) => n + m.versions.reduce((k, v) => k + v.windows.reduce((j, w) => j + w.evaluatedFeatures, 0), 0), 0);
const methods = new Set(first.models.flatMap((m) => m.versions.flatMap((v) => v.windows.flatMap((w) => w.features.map((f) => f.primary?.method)))));

const evalResults = runCases(
  [
    {
      name: 'read every window (snapshots, no drift)',
      run(n) {
        let acc = 0;
        for (let k = 0; k < n; k++) {
          for (const m of evalState.models.values()) {
            for (const v of m.versions.values()) {
              for (const w of m.config.windows) for (const f of v.features.values()) acc += f.numeric?.series.snapshot(w.name, evalNow).count ?? 0;
            }
          }
        }
        consume(acc);
      },
    },
    {
      name: 'full evaluation (evaluate)',
      run(n) {
        let acc = 0;
        for (let k = 0; k < n; k++) acc += evaluate(evalState, evalNow).models.length;
        consume(acc);
      },
    },
  ],
  { rounds: 7, minRoundMillis: 300 },
);
report(
  `aggregator: one full evaluation, ${EVAL_MODELS} models × ${EVAL_FEATURES} numeric features × 2 windows (${evaluatedFeatures} feature verdicts, primary ${[...methods].join('/')}; reference ${REFERENCE_ROWS} rows, windows of ${windowData[0].count * 12} (1h) and ${windowData[0].count * 35} (24h) values)`,
  evalResults,
  { goals: { 'full evaluation (evaluate)': '≤ 100 ms' } },
);
const evalMs = evalResults[1].nsPerIteration / 1e6;
const evalMsAtFastest = atFastestMachineCheck(evalResults[1]) / 1e6;
console.log(`\nevaluation: ${evalMs.toFixed(1)} ms for ${EVAL_MODELS * EVAL_FEATURES} features (goal ≤ 100 ms) → ${evalMs <= 100 ? 'met' : 'MISSED'}; ${formatNs(evalResults[1].nsPerIteration / evaluatedFeatures)} per feature and window; ${evalMsAtFastest.toFixed(1)} ms had the run gone at its fastest machine check (${formatNs(evalResults[1].machineCheckRangeNs[0])}) → ${evalMsAtFastest <= 100 ? 'met' : 'MISSED'}`);

// ---------------------------------------------------------------------------------------------------------------
// 3. steady-state memory per feature series
if (typeof globalThis.gc !== 'function') {
  console.log('\n(memory figures skipped: run node with --expose-gc)');
} else {
  const heap = async () => {
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    // typed-array backing stores live outside the JS heap: count them too
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return heapUsed + arrayBuffers;
  };
  const memoryNames = (n) => Array.from({ length: n }, (_, i) => `mem_${i}`);
  /** A state with `features` numeric features of one model, windows filled by 24 h of 5-minute exports. */
  const filledState = (model, features) => {
    const state = new AggregatorState(resolveConfig({ dataDir: ':memory:' }));
    let previous = memNow - 24 * HOUR - 1;
    for (let t = memNow - 24 * HOUR; t <= memNow; t += 5 * MINUTE) {
      const points = memoryNames(features).map((f, i) => expPoint({ 'ml.model.name': model, 'ml.model.version': '1', 'ml.feature.name': f }, windowData[i % windowData.length], previous, t));
      ingestMetrics(state, exportRequest('bench', points, 1), t);
      previous = t;
    }
    // what the periodic SQLite flush does: the series' pending-change lists are emptied; and the delta stream of this
    // one simulated instance is forgotten, as streams are per instance and feature, not per series (weighed below)
    for (const h of state.allSeries()) h.series.takeChanges();
    state.dirtySeries.clear();
    state.streams.sweep(Number.MAX_SAFE_INTEGER);
    state.streams.takeChanges();
    return state;
  };
  const withReference = (state, model, features) => {
    state.setReference({ format: 'driftwatch.reference/v1', model, version: '1', createdAt: new Date(T0).toISOString(), source: 'file', rowCount: REFERENCE_ROWS, features: Object.fromEntries(memoryNames(features).map((f, i) => [f, referenceFeatures[featureNames[i % featureNames.length]]])) }, memNow);
    evaluate(state, memNow); // fills the reference sketch caches
  };
  const memNow = T0 + 24 * HOUR + 10 * MINUTE + 1;
  // the difference between a small and a large state is the per-series cost, free of fixed costs (code, model state)
  const SMALL = 50;
  const LARGE = 450;
  const h0 = await heap();
  const small = filledState('small', SMALL);
  const h1 = await heap();
  const large = filledState('large', LARGE);
  const h2 = await heap();
  withReference(small, 'small', SMALL);
  const h3 = await heap();
  withReference(large, 'large', LARGE);
  const h4 = await heap();
  const perSeries = (h2 - h1 - (h1 - h0)) / (LARGE - SMALL);
  const perReference = (h4 - h3 - (h3 - h2)) / (LARGE - SMALL);
  let packed = 0;
  let series = 0;
  for (const h of large.allSeries()) {
    packed += h.series.packedBytes();
    series++;
  }
  console.log(`\n## aggregator: steady-state memory per feature series (numeric features of ${windowData[0].count}-value 5-minute slices, ~${windowData[0].positive.bucketCounts.length} buckets; 1h and 24h windows full after 24 h of exports; the difference of a ${SMALL}- and a ${LARGE}-feature state)`);
  console.log('| measure | heap + array buffers per feature | ratio vs goal | goal |\n|---|---|---|---|');
  console.log(`| windows (series, 36 slices, running merges, open slice) | ${(perSeries / 1024).toFixed(2)} KiB | ${(perSeries / 8192).toFixed(2)}× | ≤ 8 KiB → ${perSeries <= 8192 ? 'met' : 'MISSED'} |`);
  console.log(`| of which packed slice bytes | ${(packed / series / 1024).toFixed(2)} KiB | | |`);
  // the ingest bench's state holds 5000 cumulative streams (1000 instances × 5 features): weigh them by forgetting them
  const streamCount = ingestState.streams.size;
  const hs0 = await heap();
  ingestState.streams.sweep(Number.MAX_SAFE_INTEGER);
  ingestState.streams.takeChanges();
  const hs1 = await heap();
  console.log(`| one cumulative stream (per instance and feature, not per series; ${bucketsPerPoint}-bucket last point) | ${((hs0 - hs1) / streamCount / 1024).toFixed(2)} KiB | | |`);
  console.log(`| reference profile + prepared reference sketches, in addition | ${(perReference / 1024).toFixed(2)} KiB | | |`);
  consume(small.models.size + large.models.size);
}
